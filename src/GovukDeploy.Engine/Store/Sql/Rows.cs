using System.Text.Json;

namespace GovukDeploy.Store.Sql;

// Rows as the SQL backends return them (times as unix milliseconds, flags as integers),
// mapped to the public output types in one place.

internal sealed class ApplicationRow
{
    public string NameKey { get; set; } = "";
    public string Name { get; set; } = "";
    public string Repository { get; set; } = "";
    public string DeployName { get; set; } = "";
    public string? Team { get; set; }
    public string? Type { get; set; }
    public long Retired { get; set; }
    public string ReleaseTagPattern { get; set; } = "release_*";
    public long Confidential { get; set; }
    public long? ConfidentialSince { get; set; }
    public string? ConfidentialBy { get; set; }
    public string? VisibilityWhenConfidential { get; set; }

    public const string Columns =
        "name_key AS NameKey, name AS Name, repository AS Repository, deploy_name AS DeployName, team AS Team, type AS Type, retired AS Retired, release_tag_pattern AS ReleaseTagPattern, " +
        "confidential AS Confidential, confidential_since AS ConfidentialSince, confidential_by AS ConfidentialBy, visibility_when_confidential AS VisibilityWhenConfidential";

    public Application ToApplication() => new()
    {
        Name = Name,
        Repository = Repository,
        DeployName = DeployName,
        Team = Team,
        Type = Type,
        Retired = Retired != 0,
        ReleaseTagPattern = ReleaseTagPattern,
        Confidential = Confidential != 0,
        ConfidentialSince = Confidential != 0 ? UnixMs.ToTime(ConfidentialSince) : null,
        ConfidentialSetBy = Confidential != 0 ? ConfidentialBy : null,
        VisibilityWhenConfidential = Confidential != 0 && Enum.TryParse<RepositoryVisibility>(VisibilityWhenConfidential, out var visibility) ? visibility : null,
    };
}

internal sealed class FreezeRow
{
    public long Id { get; set; }
    public string Application { get; set; } = "";
    public string Environment { get; set; } = "";
    public string Reason { get; set; } = "";
    public string Contact { get; set; } = "";
    public long? UntilAt { get; set; }
    public string SetBy { get; set; } = "";
    public long SetAt { get; set; }
    public string? LiftedBy { get; set; }
    public long? LiftedAt { get; set; }

    public const string Columns =
        "id AS Id, application AS Application, environment AS Environment, reason AS Reason, contact AS Contact, until_at AS UntilAt, set_by AS SetBy, set_at AS SetAt, lifted_by AS LiftedBy, lifted_at AS LiftedAt";

    public DeployFreeze ToFreeze() => new()
    {
        Id = Id,
        Application = Application,
        Environment = Environment,
        Reason = Reason,
        Contact = Contact,
        Until = UnixMs.ToTime(UntilAt),
        SetBy = SetBy,
        SetAt = UnixMs.ToTime(SetAt),
        LiftedBy = LiftedBy,
        LiftedAt = UnixMs.ToTime(LiftedAt),
        Source = FreezeSource.Store,
    };
}

internal sealed class DeploymentRow
{
    public long Id { get; set; }
    public string Application { get; set; } = "";
    public string Environment { get; set; } = "";
    public string Release { get; set; } = "";
    public string? Sha { get; set; }
    public string Status { get; set; } = "";
    public string? BuildUrl { get; set; }
    public long StartedAt { get; set; }
    public long? FinishedAt { get; set; }
    public string DeployedBy { get; set; } = "";
    public long IsBranch { get; set; }
    public string? Gates { get; set; }
    public string? SmokeTest { get; set; }
    public string Source { get; set; } = nameof(DeploymentSource.GovukDeploy);
    public string DeployTask { get; set; } = DeployTasks.Deploy;
    public string? QueueUrl { get; set; }
    public long IsRollback { get; set; }
    public string? RollsBack { get; set; }

    public long Confidential { get; set; }

    public const string Columns =
        "id AS Id, application AS Application, environment AS Environment, release_tag AS Release, sha AS Sha, status AS Status, build_url AS BuildUrl, started_at AS StartedAt, finished_at AS FinishedAt, deployed_by AS DeployedBy, is_branch AS IsBranch, gates AS Gates, smoke_test AS SmokeTest, source AS Source, deploy_task AS DeployTask, queue_url AS QueueUrl, is_rollback AS IsRollback, rolls_back AS RollsBack, confidential AS Confidential";

    public Deployment ToDeployment() => new()
    {
        Id = Id,
        Application = Application,
        Environment = Environment,
        Release = Release,
        Sha = Sha,
        Status = Enum.TryParse<DeploymentStatus>(Status, out var status) ? status : DeploymentStatus.Aborted,
        BuildUrl = BuildUrl,
        StartedAt = UnixMs.ToTime(StartedAt),
        FinishedAt = UnixMs.ToTime(FinishedAt),
        DeployedBy = DeployedBy,
        IsBranchDeploy = IsBranch != 0,
        Gates = string.IsNullOrEmpty(Gates) ? [] : JsonSerializer.Deserialize<GateVerdict[]>(Gates, GateJson.Options) ?? [],
        SmokeTest = SmokeTest,
        Source = Enum.TryParse<DeploymentSource>(Source, out var source) ? source : DeploymentSource.GovukDeploy,
        DeployTask = DeployTask,
        QueueUrl = QueueUrl,
        IsRollback = IsRollback != 0,
        RollsBack = RollsBack,
        Confidential = Confidential != 0,
    };
}

internal sealed class AuditRow
{
    public long Id { get; set; }
    public long At { get; set; }
    public string Actor { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Application { get; set; }
    public string? Environment { get; set; }
    public string Detail { get; set; } = "";

    public const string Columns =
        "id AS Id, at AS At, actor AS Actor, kind AS Kind, application AS Application, environment AS Environment, detail AS Detail";

    public AuditEvent ToEvent() => new()
    {
        Id = Id,
        At = UnixMs.ToTime(At),
        Actor = Actor,
        Kind = Kind,
        Application = Application,
        Environment = Environment,
        Detail = Detail,
    };
}

internal sealed class LockRow
{
    public string Application { get; set; } = "";
    public string Environment { get; set; } = "";
    public string Owner { get; set; } = "";
    public long AcquiredAt { get; set; }
    public long ExpiresAt { get; set; }
    public long? RenewedAt { get; set; }
    public long? RenewalIntervalMs { get; set; }

    public const string Columns =
        "application AS Application, environment AS Environment, owner AS Owner, acquired_at AS AcquiredAt, expires_at AS ExpiresAt, " +
        "renewed_at AS RenewedAt, renewal_interval_ms AS RenewalIntervalMs";

    public DeployLock ToLock() => new()
    {
        Application = Application,
        Environment = Environment,
        Owner = Owner,
        AcquiredAt = UnixMs.ToTime(AcquiredAt),
        ExpiresAt = UnixMs.ToTime(ExpiresAt),
        RenewedAt = UnixMs.ToTime(RenewedAt),
        RenewalInterval = RenewalIntervalMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
    };
}

/// <summary>Times are stored as unix milliseconds (UTC) in both backends, so they sort and compare as numbers.</summary>
internal static class UnixMs
{
    public static long From(DateTimeOffset time) => time.ToUnixTimeMilliseconds();
    public static long? From(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();
    public static DateTimeOffset ToTime(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    public static DateTimeOffset? ToTime(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
}

internal static class GateJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
