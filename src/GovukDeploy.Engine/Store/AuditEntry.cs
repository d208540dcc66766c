namespace GovukDeploy.Store;

/// <summary>An audit event to append; the store stamps it with its clock's time.</summary>
public sealed record AuditEntry(string Actor, string Kind, string Detail, string? Application = null, string? Environment = null);
