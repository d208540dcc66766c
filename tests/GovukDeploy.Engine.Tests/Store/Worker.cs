using System.Diagnostics;
using System.Text;

namespace GovukDeploy.Tests.Store;

/// <summary>A child process running StoreWorker, with its error output kept for failure messages.</summary>
internal sealed class Worker : IDisposable
{
    private readonly StringBuilder _errors = new();

    private Worker(Process process)
    {
        Process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_errors)
                {
                    _errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static Worker Start(params string[] arguments)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardError = true,
            RedirectStandardOutput = false,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(StoreWorker).Assembly.Location);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        return new Worker(Process.Start(info) ?? throw new InvalidOperationException("could not start a store worker"));
    }

    public void Dispose() => Process.Dispose();

    /// <summary>The dotnet host running these tests (the CLI tells child processes where it is).</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }
        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return path;
        }
        return "dotnet";
    }
}
