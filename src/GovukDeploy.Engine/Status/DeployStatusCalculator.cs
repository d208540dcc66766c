using GovukDeploy.GitHub;

namespace GovukDeploy.Status;

/// <summary>Turns the release tags and what each environment runs into one status word.</summary>
public static class DeployStatusCalculator
{
    public static DeployStatus Calculate(string application, IReadOnlyList<ReleaseTag> releasesNewestFirst,
        string? integration, string? staging, string? production, IEnumerable<string> frozenEnvironments,
        IReadOnlyCollection<string>? unknownEnvironments = null, Application? catalogueEntry = null, IReadOnlyList<string>? disagreements = null)
    {
        var latest = releasesNewestFirst.Count > 0 ? releasesNewestFirst[0].Tag : null;
        int? Behind(string? running) => running is null ? null : GitHubReleases.ReleasesBehind(releasesNewestFirst, running);

        string status;
        if (latest is null)
        {
            status = "NoReleases";
        }
        else if (unknownEnvironments is { Count: > 0 })
        {
            // Never a status worked out from a view that may be stale: a script acting on it would act blind.
            status = "Unknown";
        }
        else if (integration is null && staging is null && production is null)
        {
            status = "NeverDeployed";
        }
        else if (integration != latest)
        {
            status = "UndeployedChangesInIntegration";
        }
        else if (staging != integration)
        {
            status = "UndeployedChangesInStaging";
        }
        else if (production != staging)
        {
            status = "StagingAndProductionNotInSync";
        }
        else
        {
            status = "AllEnvironmentsMatch";
        }

        return new DeployStatus
        {
            Application = application,
            LatestRelease = latest,
            Integration = integration,
            Staging = staging,
            Production = production,
            IntegrationBehind = Behind(integration),
            StagingBehind = Behind(staging),
            ProductionBehind = Behind(production),
            Status = status,
            Frozen = frozenEnvironments.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToArray(),
            DeployName = catalogueEntry?.DeployName,
            Confidential = catalogueEntry?.Confidential == true,
            Repository = catalogueEntry?.Repository,
            Unknown = unknownEnvironments?.ToArray() ?? [],
            Disagreements = disagreements?.ToArray() ?? [],
        };
    }
}
