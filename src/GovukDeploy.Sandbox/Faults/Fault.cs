namespace GovukDeploy.Sandbox.Faults;

/// <summary>One injected fault. Count-limited faults disappear once used up; others last until cleared or until <see cref="Until"/>.</summary>
public sealed class Fault
{
    public required long Id { get; init; }
    public required string Service { get; init; }
    public required string Kind { get; init; }
    /// <summary>How many more requests (or builds) it affects; null means every one until cleared.</summary>
    public int? Remaining { get; set; }
    public int? Milliseconds { get; init; }
    public int? Status { get; init; }
    public int? RetryAfterSeconds { get; init; }
    public DateTimeOffset? Until { get; init; }
    public string? Environment { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    public object ToJson() => new Dictionary<string, object?>
    {
        ["id"] = Id,
        ["service"] = Service,
        ["kind"] = Kind,
        ["remaining"] = Remaining,
        ["ms"] = Milliseconds,
        ["status"] = Status,
        ["retryAfterSeconds"] = RetryAfterSeconds,
        ["until"] = Until is { } u ? Hosting.Wire.Iso(u) : null,
        ["environment"] = Environment,
    };
}

/// <summary>The body of POST /_sandbox/faults.</summary>
public sealed class FaultRequest
{
    public string? Service { get; set; }
    public string? Kind { get; set; }
    public int? Count { get; set; }
    public int? Ms { get; set; }
    public int? Status { get; set; }
    public int? RetryAfterSeconds { get; set; }
    public int? ResetSeconds { get; set; }
    public string? Environment { get; set; }
}
