using GovukDeploy.Configuration;
using GovukDeploy.GitHub;

namespace GovukDeploy.Status;

/// <summary>Turns the release tags and what each environment runs into one status word.</summary>
public static class DeployStatusCalculator
{
    /// <param name="running">What each environment runs, in the order of <paramref name="environments"/> (default integration, staging, production).</param>
    public static DeployStatus Calculate(string application, IReadOnlyList<ReleaseTag> releasesNewestFirst,
        IReadOnlyList<string?> running, IEnumerable<string> frozenEnvironments,
        IReadOnlyCollection<string>? unknownEnvironments = null, Application? catalogueEntry = null, IReadOnlyList<string>? disagreements = null,
        EnvironmentPolicy? environments = null)
    {
        var names = (environments ?? EnvironmentPolicy.Default).Names;
        if (running.Count != names.Count)
        {
            throw new ArgumentException($"{running.Count} environments' releases given for {names.Count} environments.", nameof(running));
        }
        var latest = releasesNewestFirst.Count > 0 ? releasesNewestFirst[0].Tag : null;
        int? Behind(string? release) => release is null ? null : GitHubReleases.ReleasesBehind(releasesNewestFirst, release);

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
        else if (running.All(r => r is null))
        {
            status = "NeverDeployed";
        }
        else
        {
            status = StatusWord(names, running, latest);
        }

        return new DeployStatus
        {
            Application = application,
            LatestRelease = latest,
            Environments = names.Select((name, i) => new EnvironmentRelease { Environment = name, Release = running[i], Behind = Behind(running[i]) }).ToArray(),
            Status = status,
            Frozen = frozenEnvironments.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToArray(),
            DeployName = catalogueEntry?.DeployName,
            Confidential = catalogueEntry?.Confidential == true,
            Repository = catalogueEntry?.Repository,
            Unknown = unknownEnvironments?.ToArray() ?? [],
            Disagreements = disagreements?.ToArray() ?? [],
        };
    }

    /// <summary>
    /// The first environment that lags behind what comes before it names the word: the first one not on
    /// the latest release, a middle one not on its predecessor's, or the last two not in sync.
    /// </summary>
    private static string StatusWord(IReadOnlyList<string> names, IReadOnlyList<string?> running, string latest)
    {
        if (running[0] != latest)
        {
            return $"UndeployedChangesIn{Word(names[0])}";
        }
        for (var i = 1; i < names.Count; i++)
        {
            if (running[i] != running[i - 1])
            {
                return i == names.Count - 1 && names.Count > 1
                    ? $"{Word(names[i - 1])}And{Word(names[i])}NotInSync"
                    : $"UndeployedChangesIn{Word(names[i])}";
            }
        }
        return "AllEnvironmentsMatch";
    }

    /// <summary>An environment's name as a word in a status or a property name: 'staging' becomes 'Staging', 'pre-prod' 'PreProd'.</summary>
    public static string Word(string environment) =>
        string.Concat(environment.Split(['-', '_'], StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
}
