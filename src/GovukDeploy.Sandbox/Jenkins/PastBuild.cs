namespace GovukDeploy.Sandbox.Jenkins;

/// <summary>
/// A build that finished before the sandbox started. Seeding inserts these into a job's
/// history as completed builds instead of running them, so history costs no time.
/// </summary>
public sealed record PastBuild(
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    BuildCause Cause,
    DateTimeOffset Timestamp,
    long DurationMs,
    string Result,
    IReadOnlyList<string> Console);
