namespace GovukDeploy;

/// <summary>One entry in the audit log: who changed what, and when (UTC).</summary>
public sealed class AuditEvent
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public required string Actor { get; init; }

    /// <summary>What happened, e.g. ApplicationAdded, FreezeSet, DeployStarted, GateOverridden.</summary>
    public required string Kind { get; init; }
    public string? Application { get; init; }
    public string? Environment { get; init; }
    public required string Detail { get; init; }
}
