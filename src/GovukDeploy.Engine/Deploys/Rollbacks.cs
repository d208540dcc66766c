using System.Globalization;
using GovukDeploy.Errors;
using GovukDeploy.Observed;

namespace GovukDeploy.Deploys;

/// <summary>Undo-Deployment: put back the release that ran in an environment before the current one.</summary>
public sealed record RollbackRequest
{
    public required string Application { get; init; }
    public required string Environment { get; init; }

    /// <summary>Why (an incident, a failed health check); required, and written to the audit log.</summary>
    public required string Reason { get; init; }

    /// <summary>An older release to return to instead of the one just before; it must have succeeded in this environment before.</summary>
    public string? Release { get; init; }

    /// <summary>Passes a freeze, with <see cref="Reason"/> as the audited override reason.</summary>
    public bool Force { get; init; }

    public bool SmokeTest { get; init; }

    /// <summary>How long to wait for the rollback's deploy once triggered; see <see cref="DeployRequest.Timeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The deploy the caller was shown as the one to undo (a plan's Current.Id): if something else runs
    /// by the time the rollback starts, it is refused (RollbackPlanChanged) rather than undo the wrong deploy.
    /// </summary>
    public long? ExpectedCurrentId { get; init; }

    public required string Actor { get; init; }
}

/// <summary>What a rollback asks of the world outside the store.</summary>
public sealed record RollbackLookups
{
    /// <summary>Does this release tag exist in the application's repository? Required.</summary>
    public required Func<Application, string, CancellationToken, Task<bool>> RefExists { get; init; }

    /// <summary>
    /// Brings the store's history up to date from Jenkins and says whether each environment could be read.
    /// Null means the store's records are the whole truth (engine tests only: the module always observes).
    /// </summary>
    public Func<Application, CancellationToken, Task<RunningView>>? Observe { get; init; }

    /// <summary>The commits in the current deploy's release that the target's lacks (GitHub's compare); null: not listed.</summary>
    public Func<Application, Deployment, Deployment, CancellationToken, Task<ChangeSet>>? ChangesTakenOut { get; init; }
}

/// <summary>Which deploy a rollback undoes and which it returns to, from the environment's history, and the errors when there is none.</summary>
internal static class Rollbacks
{
    /// <summary>
    /// From the environment's deploy history (ours and observed, any order): the deploy that put what
    /// runs now in place, and the newest earlier successful release deploy of another release (or of
    /// <paramref name="release"/>). Only deploy tasks that succeeded count; a branch never is a target.
    /// </summary>
    public static (Deployment Current, Deployment Target) Choose(Application application, string environment, string? release, IReadOnlyList<Deployment> history)
    {
        var ran = history.Where(d => d.ChangedWhatRuns)
            .OrderByDescending(d => d.FinishedAt ?? d.StartedAt).ThenByDescending(d => d.Id)
            .ToList();
        var current = ran.FirstOrDefault() ?? throw ErrorCatalogue.NothingToUndo(application, environment);
        var earlier = ran.Skip(1).Where(d => !d.IsBranchDeploy).ToList();
        if (release is null)
        {
            // A release deployed twice running is still one release: go back past all of it.
            var target = earlier.FirstOrDefault(d => !string.Equals(d.Release, current.Release, StringComparison.Ordinal))
                ?? throw ErrorCatalogue.NoPreviousRelease(application, environment, current);
            return (current, target);
        }

        if (!current.IsBranchDeploy && string.Equals(release, current.Release, StringComparison.Ordinal))
        {
            throw ErrorCatalogue.RollbackReleaseIsRunning(application, environment, release, current);
        }

        var chosen = earlier.FirstOrDefault(d => string.Equals(d.Release, release, StringComparison.Ordinal))
            ?? throw ErrorCatalogue.RollbackReleaseNotDeployedBefore(application, environment, release, history);
        return (current, chosen);
    }

    /// <summary>How a rollback records the deploy it undoes: its build URL, or its id when it has none.</summary>
    public static string Reference(Deployment deployment) => deployment.BuildUrl ?? $"#{deployment.Id}";

    /// <summary>Which deploy it was, by whom and when, for a person.</summary>
    public static string Describe(Deployment deployment)
    {
        var which = deployment.Source == DeploymentSource.GovukDeploy ? $"deploy #{deployment.Id}" : $"{deployment.Source} {deployment.BuildUrl}".TrimEnd();
        var when = (deployment.FinishedAt ?? deployment.StartedAt).ToString("u", CultureInfo.InvariantCulture);
        return $"{which} by {deployment.DeployedBy}, {when}";
    }
}
