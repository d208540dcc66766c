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

    /// <summary>
    /// What each configured environment runs, in promotion order (the Environments setting). Get-DeployStatus
    /// also shows each as a property named after the environment (Integration, Staging, Production by
    /// default) with its EnvironmentBehind count (IntegrationBehind, ...).
    /// </summary>
    public EnvironmentRelease[] Environments { get; init; } = [];

    /// <summary>What the environment runs (null when it never had a deploy, or is not configured).</summary>
    public string? ReleaseIn(string environment) =>
        Environments.FirstOrDefault(e => e.Environment.Equals(environment, StringComparison.OrdinalIgnoreCase))?.Release;

    /// <summary>
    /// One word, named after the configured environments (shown here for integration, staging, production):
    /// AllEnvironmentsMatch, UndeployedChangesInIntegration (the latest release is not on the first environment),
    /// UndeployedChangesInStaging (an environment does not run what the one before it does),
    /// StagingAndProductionNotInSync (the last environment does not run what the one before it does),
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
