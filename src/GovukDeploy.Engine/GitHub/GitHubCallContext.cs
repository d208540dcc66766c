using GovukDeploy.Reporting;

namespace GovukDeploy.GitHub;

/// <summary>
/// The reporter and cancellation token of the operation in progress, carried alongside the async
/// flow. Octokit's client methods take no CancellationToken and know nothing of progress, so the
/// HTTP layer beneath them reads both from here.
/// </summary>
internal static class GitHubCallContext
{
    private static readonly AsyncLocal<Frame?> Current = new();

    public static IOperationReporter Reporter => Current.Value?.Reporter ?? NullReporter.Instance;

    public static CancellationToken CancellationToken => Current.Value?.CancellationToken ?? CancellationToken.None;

    public static IDisposable Enter(IOperationReporter? reporter, CancellationToken cancellationToken)
    {
        var previous = Current.Value;
        Current.Value = new Frame(reporter ?? previous?.Reporter ?? NullReporter.Instance, cancellationToken);
        return new Restore(previous);
    }

    private sealed record Frame(IOperationReporter Reporter, CancellationToken CancellationToken);

    private sealed class Restore(Frame? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
