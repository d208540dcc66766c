namespace GovukDeploy;

/// <summary>An application in the catalogue: what Jenkins deploys and where its code lives.</summary>
public sealed class Application
{
    public required string Name { get; init; }

    /// <summary>The GitHub repository as owner/name.</summary>
    public required string Repository { get; init; }

    /// <summary>What Jenkins' TARGET_APPLICATION gets: the catalogue's puppet_name where it differs, else the repository name.</summary>
    public required string DeployName { get; init; }

    public string? Team { get; init; }
    public string? Type { get; init; }
    public bool Retired { get; init; }

    /// <summary>The tag pattern that marks a release, e.g. release_* (the default) or v*.</summary>
    public string ReleaseTagPattern { get; init; } = "release_*";

    /// <summary>
    /// Confidential mode, for a security incident: Slack, the shared store and the Release app are told
    /// the release tag and SHA only, and changes go out only while the repository is private.
    /// </summary>
    public bool Confidential { get; init; }

    /// <summary>When confidential mode was turned on, and by whom; null when it is off.</summary>
    public DateTimeOffset? ConfidentialSince { get; init; }
    public string? ConfidentialSetBy { get; init; }

    /// <summary>The repository's visibility when confidential mode was turned on: a public one is made public again afterwards.</summary>
    public RepositoryVisibility? VisibilityWhenConfidential { get; init; }

    public override string ToString() => Name;
}
