namespace GovukDeploy;

/// <summary>
/// The one exception type a script can name: every GovukDeploy ErrorRecord carries one, so a runbook
/// can write <c>catch [GovukDeploy.GovukDeployError] { $_.Exception.ErrorId }</c>. It lives in the
/// cmdlet assembly, which PowerShell can see, and uses no engine type in its public surface; the
/// engine's own exception (in the module's private load context) is its InnerException.
/// </summary>
public sealed class GovukDeployError : Exception
{
    public GovukDeployError(string errorId, string kind, string message, object? target = null, string? recommendedAction = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
        RecommendedAction = recommendedAction ?? "";
    }

    /// <summary>The stable id scripts match on, e.g. ApplicationNotFound (also the start of FullyQualifiedErrorId).</summary>
    public string ErrorId { get; }

    /// <summary>How the failure is classified: the name of the matching PowerShell ErrorCategory, e.g. ObjectNotFound.</summary>
    public string Kind { get; }

    /// <summary>The offending value.</summary>
    public object? Target { get; }

    /// <summary>What to do about it (also in the ErrorRecord's ErrorDetails.RecommendedAction).</summary>
    public string RecommendedAction { get; }
}
