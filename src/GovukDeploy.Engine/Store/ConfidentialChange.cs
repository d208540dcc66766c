namespace GovukDeploy.Store;

/// <summary>Turns an application's confidential mode on or off; the reason goes to the audit log.</summary>
public sealed record ConfidentialRequest
{
    public required string Application { get; init; }
    public required bool On { get; init; }
    public string? Reason { get; init; }

    /// <summary>The repository's visibility now (remembered when the mode is turned on).</summary>
    public RepositoryVisibility Visibility { get; init; } = RepositoryVisibility.Unknown;
}

/// <summary>What turning confidential mode on or off did.</summary>
public sealed record ConfidentialChange
{
    /// <summary>The application as it is now.</summary>
    public required Application Application { get; init; }

    /// <summary>False when the mode already was as asked (nothing written).</summary>
    public required bool Changed { get; init; }

    /// <summary>Turning it off: when it had been turned on, by whom, and the repository's visibility then.</summary>
    public DateTimeOffset? WasOnSince { get; init; }
    public string? WasOnBy { get; init; }
    public RepositoryVisibility? VisibilityWhenOn { get; init; }

    /// <summary>Turning it off: every deploy recorded from when it was turned on, oldest first (ours and those seen in Jenkins).</summary>
    public IReadOnlyList<Deployment> DeployedWhileConfidential { get; init; } = [];
}
