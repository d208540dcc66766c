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

    public override string ToString() => Name;
}
