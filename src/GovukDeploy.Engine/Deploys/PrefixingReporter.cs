using GovukDeploy.Reporting;

namespace GovukDeploy.Deploys;

/// <summary>Marks every message with the deploy it came from, so that the consoles of concurrent deploys can be told apart.</summary>
public sealed class PrefixingReporter(IOperationReporter inner, string prefix) : IOperationReporter
{
    public void Progress(ProgressUpdate update) => inner.Progress(update);
    public void Verbose(string message) => inner.Verbose(prefix + message);
    public void Information(string message) => inner.Information(prefix + message);
    public void Warning(string message) => inner.Warning(prefix + message);
}
