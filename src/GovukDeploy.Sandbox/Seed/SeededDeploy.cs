using GovukDeploy.Sandbox.GitHub;
using GovukDeploy.Sandbox.Jenkins;

namespace GovukDeploy.Sandbox.Seed;

/// <summary>One Deploy_App build in an application's seeded past.</summary>
public sealed class SeededDeploy
{
    public required string Environment { get; init; }
    public required int Release { get; init; }
    public string Tag => $"release_{Release}";
    public string Task { get; set; } = DeployConsole.DeployTask;
    public string Result { get; set; } = "SUCCESS";
    /// <summary>Who started it; null for CI (the app's default-branch build that made the release).</summary>
    public GitHubUser? By { get; set; }
    public required DateTimeOffset At { get; set; }
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(90);
    public DateTimeOffset Finished => At + Duration;

    /// <summary>True when this build changed what runs: a deploy task that succeeded.</summary>
    public bool Deployed => Task == DeployConsole.DeployTask && Result == "SUCCESS";
}
