using GovukDeploy.Errors;

namespace GovukDeploy.Releases;

/// <summary>The stages Wait-Release goes through, in order.</summary>
public enum ReleaseStage
{
    Ci,
    ReleaseTag,
    IntegrationDeploy,
    SmokeTest,
}

/// <summary>ReleaseWaitTimedOut (made by ErrorCatalogue): the wait ended before the change got through; Stage says where it was.</summary>
public sealed class ReleaseWaitTimeoutException(string errorId, ErrorKind kind, ReleaseStage stage, string message, object? target)
    : GovukDeployException(errorId, kind, message, target)
{
    public ReleaseStage Stage { get; } = stage;
}
