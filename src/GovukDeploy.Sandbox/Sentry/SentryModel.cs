namespace GovukDeploy.Sandbox.Sentry;

/// <summary>A Sentry project: one per application, its slug the application's name.</summary>
public sealed class SentryProject
{
    public required long Id { get; init; }
    public required string Slug { get; init; }
    public required string Name { get; init; }
    public string Platform { get; init; } = "ruby";
    public required DateTimeOffset DateCreated { get; init; }
    public List<SentryIssue> Issues { get; } = [];
    public int NextShortNumber { get; set; } = 1;
}

/// <summary>One issue (a group of like events), with the fields Sentry's issue list gives.</summary>
public sealed class SentryIssue
{
    public required long Id { get; init; }
    public required string ShortId { get; init; }
    public required SentryProject Project { get; init; }
    public required string Title { get; init; }
    public string Culprit { get; init; } = "";

    /// <summary>fatal, error, warning, info or debug.</summary>
    public required string Level { get; init; }
    public long Count { get; set; }
    public int UserCount { get; set; }
    public required DateTimeOffset FirstSeen { get; init; }
    public DateTimeOffset LastSeen { get; set; }

    /// <summary>unresolved, resolved or ignored.</summary>
    public string Status { get; set; } = "unresolved";

    /// <summary>For unresolved issues: new, ongoing, regressed or escalating; null otherwise.</summary>
    public string? Substatus { get; set; } = "new";
}
