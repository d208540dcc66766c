using System.Text;

namespace GovukDeploy.Sandbox.Jenkins;

// Jobs, queue items and builds of one Jenkins. Guarded by JenkinsInstance.Sync.

public enum JobKind
{
    FreeStyle,
    Folder,
    MultiBranch,
    Pipeline,
}

/// <summary>What a build does when it runs: writes its console and says how it ended.</summary>
public delegate Task<string> BuildScript(BuildRun run);

public sealed class JenkinsJob
{
    public required string Name { get; init; }
    public required string FullName { get; init; }
    public required JobKind Kind { get; init; }
    public string Description { get; init; } = "";
    public IReadOnlyList<ParameterDefinition> Parameters { get; init; } = [];
    public BuildScript? Script { get; init; }
    public List<JenkinsJob> Children { get; } = [];
    public List<JenkinsBuild> Builds { get; } = [];
    public int NextBuildNumber { get; set; } = 1;
    public long EstimatedDurationMs { get; set; } = -1;

    public bool IsContainer => Kind is JobKind.Folder or JobKind.MultiBranch;

    public string ClassName => Kind switch
    {
        JobKind.Folder => "com.cloudbees.hudson.plugins.folder.Folder",
        JobKind.MultiBranch => "org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject",
        JobKind.Pipeline => "org.jenkinsci.plugins.workflow.job.WorkflowJob",
        _ => "hudson.model.FreeStyleProject",
    };

    public string BuildClassName => Kind == JobKind.Pipeline ? "org.jenkinsci.plugins.workflow.job.WorkflowRun" : "hudson.model.FreeStyleBuild";
}

public sealed record ParameterDefinition(string Name, string DefaultValue, string Description);

/// <summary>
/// Why a build started, as Jenkins' CauseAction reports it: the cause's _class, its
/// shortDescription and exactly the other properties Jenkins exports for that class.
/// </summary>
public sealed record BuildCause(string ClassName, string ShortDescription, IReadOnlyDictionary<string, object?> Extra)
{
    /// <summary>
    /// A person: userId is the Jenkins login, userName its display name (Jenkins shows the id
    /// when the user has no full name, as for the sandbox's API-token user).
    /// </summary>
    public static BuildCause User(string? userId, string? userName = null) => new(
        "hudson.model.Cause$UserIdCause",
        userId is null ? "Started by anonymous user" : $"Started by user {userName ?? userId}",
        new Dictionary<string, object?> { ["userId"] = userId, ["userName"] = userId is null ? "anonymous" : userName ?? userId });

    /// <summary>Another job's build; upstreamUrl is that job's URL relative to the Jenkins root, as Jenkins records it.</summary>
    public static BuildCause Upstream(string jobFullName, int build) => new(
        "hudson.model.Cause$UpstreamCause",
        $"Started by upstream project \"{jobFullName}\" build number {build}",
        new Dictionary<string, object?>
        {
            ["upstreamBuild"] = build,
            ["upstreamProject"] = jobFullName,
            ["upstreamUrl"] = string.Concat(jobFullName.Split('/').Select(n => $"job/{Uri.EscapeDataString(n)}/")),
        });

    public static BuildCause Upstream(JenkinsJob job, int build) => Upstream(job.FullName, build);

    public static BuildCause BranchEvent(string description) => new(
        "jenkins.branch.BranchEventCause", description, new Dictionary<string, object?>());
}

public sealed class QueueItem
{
    public required long Id { get; init; }
    public required JenkinsJob Job { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; }
    public required BuildCause Cause { get; init; }
    public required DateTimeOffset InQueueSince { get; init; }
    public required DateTimeOffset BuildableAt { get; init; }
    public bool Cancelled { get; set; }
    public JenkinsBuild? Build { get; set; }
    public Action<JenkinsBuild>? OnCompleted { get; init; }
    public bool Left => Cancelled || Build is not null;
}

public sealed class JenkinsBuild
{
    private readonly StringBuilder _log = new();
    private int _logBytes;

    private int _number;

    public required JenkinsJob Job { get; init; }
    public required int Number { get => _number; init => _number = value; }
    public required long QueueId { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; }
    public required BuildCause Cause { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required long EstimatedDurationMs { get; init; }
    public bool Building { get; set; } = true;
    public string? Result { get; set; }
    public long DurationMs { get; set; }
    public CancellationTokenSource Stop { get; } = new();
    public string? StoppedBy { get; set; }
    /// <summary>Set for seeded history: the past the build was made from (such builds may be renumbered).</summary>
    public PastBuild? Past { get; init; }
    public bool Seeded => Past is not null;

    public string? Parameter(string name) => Parameters.FirstOrDefault(p => p.Key == name).Value;

    /// <summary>Seeded history only: moves the build to its place in time order as more history arrives.</summary>
    public void Renumber(int number)
    {
        if (!Seeded)
        {
            throw new InvalidOperationException($"Build #{Number} of {Job.FullName} ran here; its number is fixed.");
        }
        _number = number;
    }

    /// <summary>Appends to the console. Callers hold the instance lock.</summary>
    public void AppendLog(string line)
    {
        var text = line.EndsWith('\n') ? line : line + "\n";
        _log.Append(text);
        _logBytes += Encoding.UTF8.GetByteCount(text);
    }

    public int LogBytes => _logBytes;

    public string Log => _log.ToString();
}
