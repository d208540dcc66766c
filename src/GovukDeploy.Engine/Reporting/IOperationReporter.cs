namespace GovukDeploy.Reporting;

/// <summary>
/// How long-running engine work tells the user what it is doing. The engine
/// calls it from any thread; the cmdlet layer queues each call and replays it
/// on the pipeline thread, the only thread PowerShell lets write.
/// </summary>
public interface IOperationReporter
{
    void Progress(ProgressUpdate update);
    void Verbose(string message);
    void Information(string message);
    void Warning(string message);
}

/// <summary>One progress report; PercentComplete is -1 when unknown, and Completed ends the bar.</summary>
public sealed record ProgressUpdate(int ActivityId, string Activity, string Status, int PercentComplete = -1, bool Completed = false, int? ParentActivityId = null);

/// <summary>A reporter that drops everything (for tests and benchmarks).</summary>
public sealed class NullReporter : IOperationReporter
{
    public static NullReporter Instance { get; } = new();

    public void Progress(ProgressUpdate update) { }
    public void Verbose(string message) { }
    public void Information(string message) { }
    public void Warning(string message) { }
}
