using System.Globalization;

namespace GovukDeploy.Sandbox.Jenkins;

/// <summary>What a running build's script can do: read its parameters, write its console, wait.</summary>
public sealed class BuildRun
{
    public BuildRun(JenkinsInstance jenkins, JenkinsBuild build)
    {
        Jenkins = jenkins;
        Build = build;
    }

    public JenkinsInstance Jenkins { get; }
    public JenkinsBuild Build { get; }
    public CancellationToken Token => Build.Stop.Token;
    public string Environment => Jenkins.Environment;

    public string Parameter(string name) => Build.Parameter(name) ?? "";

    public void Log(string line)
    {
        lock (Jenkins.Sync)
        {
            Build.AppendLog(line);
        }
    }

    public Task Delay(double seconds) =>
        seconds <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromSeconds(seconds), Jenkins.Clock, Token);

    /// <summary>Writes the lines spread evenly over the given time.</summary>
    public async Task LogOver(double seconds, IReadOnlyList<string> lines)
    {
        var step = lines.Count == 0 ? seconds : seconds / lines.Count;
        foreach (var line in lines)
        {
            await Delay(step);
            Log(line);
        }
        if (lines.Count == 0)
        {
            await Delay(seconds);
        }
    }

    public static string Stamp(DateTimeOffset when) => when.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
