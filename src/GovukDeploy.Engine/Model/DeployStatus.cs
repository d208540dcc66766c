namespace GovukDeploy;

/// <summary>Where an application's releases stand, as the Release app's front page shows it.</summary>
public sealed class DeployStatus
{
    public required string Application { get; init; }

    /// <summary>The name Jenkins deploys it by (TARGET_APPLICATION), and its GitHub repository.</summary>
    public string? DeployName { get; init; }
    public string? Repository { get; init; }

    /// <summary>The newest release tag, or null when the application has none.</summary>
    public string? LatestRelease { get; init; }

    /// <summary>The tag (or branch) each environment last ran successfully; null when it never had a deploy.</summary>
    public string? Integration { get; init; }
    public string? Staging { get; init; }
    public string? Production { get; init; }

    /// <summary>How many releases each environment is behind the latest (null when unknown).</summary>
    public int? IntegrationBehind { get; init; }
    public int? StagingBehind { get; init; }
    public int? ProductionBehind { get; init; }

    /// <summary>
    /// One word: AllEnvironmentsMatch, UndeployedChangesInIntegration (the latest release is not on integration),
    /// UndeployedChangesInStaging (integration runs a release staging does not), StagingAndProductionNotInSync,
    /// NeverDeployed, NoReleases, or Unknown when what some environment runs could not be learnt.
    /// </summary>
    public required string Status { get; init; }

    /// <summary>Whether the application is in confidential mode (a security incident: see Set-Application -Confidential).</summary>
    public bool Confidential { get; init; }

    /// <summary>The environments frozen for this application (empty when none; "unknown" when the Release app could not say).</summary>
    public string[] Frozen { get; init; } = [];

    /// <summary>The environments whose Jenkins could not be read: what they show is the store's last view.</summary>
    public string[] Unknown { get; init; } = [];

    /// <summary>Where sources disagree on what runs (a deployed-to branch elsewhere than Jenkins says).</summary>
    public string[] Disagreements { get; init; } = [];
}
