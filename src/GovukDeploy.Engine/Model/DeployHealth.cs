using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace GovukDeploy;

/// <summary>One verdict on an application's health in an environment since a deploy.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum HealthVerdict
{
    /// <summary>Every check that could be made passed (warnings allowed), and at least one was made.</summary>
    Healthy,

    /// <summary>A check failed: a new or regressed error, an alert since the deploy, a failed smoke test.</summary>
    Unhealthy,

    /// <summary>A source could not be read, or nothing could be checked: never taken for healthy.</summary>
    Unknown,
}

/// <summary>How one check came out.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum HealthOutcome
{
    Passed,
    Failed,
    Warning,
    Unknown,

    /// <summary>The source is not configured (or, for the smoke tests, none ran): not counted.</summary>
    NotConfigured,
}

/// <summary>The names of the checks, in the order they are shown.</summary>
public static class HealthCheckNames
{
    public const string Sentry = "Sentry";
    public const string Icinga = "Icinga";
    public const string Dashboard = "Dashboard";
    public const string SmokeTest = "SmokeTest";
}

/// <summary>
/// Test-DeployHealth's answer: the four checks GOV.UK's manual asks for after a deploy (Sentry, Icinga,
/// the dashboard, the smoke tests) and one verdict.
/// </summary>
public sealed class DeployHealth
{
    public required string Application { get; init; }
    public required string Environment { get; init; }

    /// <summary>From when problems count: the start of the deploy, or -Since.</summary>
    public required DateTimeOffset Since { get; init; }
    public required HealthVerdict Verdict { get; init; }
    public required HealthCheck[] Checks { get; init; }
    public DateTimeOffset CheckedAt { get; init; }

    /// <summary>The deploy checked, when one is known (its smoke test is the SmokeTest check).</summary>
    public long? DeploymentId { get; init; }

    /// <summary>The checks that failed or could not be made, one line each.</summary>
    public string Summary => Verdict == HealthVerdict.Healthy
        ? "Healthy: " + string.Join("; ", Checks.Where(c => c.Outcome != HealthOutcome.NotConfigured).Select(c => $"{c.Name} {c.Outcome}"))
        : $"{Verdict}: " + string.Join("; ", Checks.Where(c => c.Outcome is HealthOutcome.Failed or HealthOutcome.Unknown).Select(c => $"{c.Name} {c.Outcome} ({c.Detail})"));

    public HealthCheck? Check(string name) => Checks.FirstOrDefault(c => c.Name == name);

    public override string ToString() => $"{Application} {Environment}: {Verdict}";
}

/// <summary>One check: what it found, and where a person can look.</summary>
public sealed class HealthCheck
{
    public required string Name { get; init; }
    public required HealthOutcome Outcome { get; init; }
    public required string Detail { get; init; }
    public string? Url { get; init; }
    public HealthItem[] Items { get; init; } = [];

    public override string ToString() => $"{Name}: {Outcome}";
}

/// <summary>One thing a check found: a Sentry issue or an Icinga service that is not OK.</summary>
public sealed class HealthItem
{
    /// <summary>The Sentry short id, or the Icinga service's host!service name.</summary>
    public required string Id { get; init; }
    public required string Title { get; init; }

    /// <summary>New, Regressed; or Icinga's CRITICAL, WARNING, UNKNOWN.</summary>
    public required string State { get; init; }

    /// <summary>Why it counts or not: "since the deploy", "older than the deploy", "acknowledged", "in downtime", "soft".</summary>
    public string? Note { get; init; }
    public long? Count { get; init; }

    /// <summary>When it began: the issue's first event, or the service's last state change.</summary>
    public DateTimeOffset? Since { get; init; }
    public string? Url { get; init; }

    /// <summary>Whether it fails the check.</summary>
    public bool Fails { get; init; }

    public override string ToString() => $"{Id} {State}{(Note is null ? "" : $" ({Note})")}: {Title}";
}
