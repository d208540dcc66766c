using System.Globalization;
using GovukDeploy.Errors;
using GovukDeploy.Reporting;
using GovukDeploy.Store;

namespace GovukDeploy.Confidential;

/// <summary>Reads a repository's visibility from GitHub.</summary>
public delegate Task<RepositoryVisibility> VisibilityReader(Application application, CancellationToken cancellationToken);

/// <summary>
/// Confidential mode for a security incident: turning it on and off (audited, with the reason), and the
/// check that a change goes out only while the repository is private.
/// </summary>
public sealed class ConfidentialService
{
    private readonly IDeployStore _store;
    private readonly string _actor;

    public ConfidentialService(IDeployStore store, string actor)
    {
        _store = store;
        _actor = actor;
    }

    /// <summary>
    /// Turns the mode on, remembering the repository's visibility now (so that the user is reminded to make it
    /// public again afterwards). A visibility that cannot be read never stops the mode: it is remembered as
    /// Unknown, with a warning, and changes are refused until it can be read.
    /// </summary>
    public async Task<ConfidentialChange> TurnOnAsync(Application application, string? reason, VisibilityReader readVisibility,
        IOperationReporter reporter, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw ErrorCatalogue.ConfidentialReasonRequired(application.Name);
        }

        var visibility = await ReadAsync(application, readVisibility, reporter, cancellationToken).ConfigureAwait(false);
        var change = await _store.SetConfidentialAsync(new ConfidentialRequest
        {
            Application = application.Name,
            On = true,
            Reason = reason,
            Visibility = visibility.Visibility,
        }, _actor, cancellationToken).ConfigureAwait(false);
        if (!change.Changed)
        {
            reporter.Warning($"{application.Name} is already confidential (since {Time(change.Application.ConfidentialSince)}, by {change.Application.ConfidentialSetBy}); nothing changed.");
            return change;
        }

        switch (visibility.Visibility)
        {
            case RepositoryVisibility.Public:
                reporter.Warning($"{application.Repository} is public. Make it private before the fix is pushed: until then Merge-PullRequest and branch deploys of {application.Name} " +
                    "refuse (RepositoryNotPrivate), and a release that is already published deploys with a warning.");
                break;
            case RepositoryVisibility.Unknown:
                reporter.Warning($"Whether {application.Repository} is private could not be read ({visibility.Why}). Merge-PullRequest and branch deploys of {application.Name} " +
                    "refuse until it can be (RepositoryVisibilityUnknown).");
                break;
            default:
                reporter.Verbose($"{application.Repository} is {visibility.Visibility.ToString().ToLowerInvariant()}.");
                break;
        }

        return change;
    }

    /// <summary>Turns the mode off and returns what went out while it was on; the lines to show the user come from <see cref="Describe"/>.</summary>
    public Task<ConfidentialChange> TurnOffAsync(Application application, string? reason, CancellationToken cancellationToken) =>
        _store.SetConfidentialAsync(new ConfidentialRequest { Application = application.Name, On = false, Reason = reason }, _actor, cancellationToken);

    /// <summary>
    /// Refuses <paramref name="what"/> (a merge, a branch deploy) of a confidential application whose repository
    /// is public (RepositoryNotPrivate) or of unknown visibility (RepositoryVisibilityUnknown), unless forced with
    /// a reason, which is audited. An application that is not confidential is not checked.
    /// </summary>
    public async Task EnsurePrivateAsync(Application application, string what, bool force, string? reason, VisibilityReader readVisibility,
        IOperationReporter reporter, CancellationToken cancellationToken)
    {
        if (!application.Confidential)
        {
            return;
        }

        var visibility = await ReadAsync(application, readVisibility, reporter, cancellationToken).ConfigureAwait(false);
        if (visibility.Visibility is RepositoryVisibility.Private or RepositoryVisibility.Internal)
        {
            reporter.Verbose($"{application.Name} is confidential and {application.Repository} is {visibility.Visibility.ToString().ToLowerInvariant()}.");
            return;
        }

        var refusal = visibility.Visibility == RepositoryVisibility.Public
            ? ErrorCatalogue.RepositoryNotPrivate(application, what)
            : ErrorCatalogue.RepositoryVisibilityUnknown(application, what, visibility.Why!);
        if (!force)
        {
            throw refusal;
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw ErrorCatalogue.ForceNeedsReason(
                $"the refusal to let {what} go out while {application.Repository} is {(visibility.Visibility == RepositoryVisibility.Public ? "public" : "of unknown visibility")}",
                application.Name, refusal);
        }

        await _store.AppendAuditEventAsync(new AuditEntry(_actor, AuditKinds.ConfidentialOverride,
            $"{Capitalised(what)} allowed while {application.Repository} was {(visibility.Visibility == RepositoryVisibility.Public ? "public" : "of unknown visibility")}. Reason: {reason.Trim()}",
            application.Name), cancellationToken).ConfigureAwait(false);
        reporter.Warning($"{application.Repository} is not known to be private; {what} goes ahead because of -Force (audited): {reason.Trim()}");
    }

    /// <summary>What the user is told when the mode goes off: what went out, and whether to make the repository public again.</summary>
    public static IReadOnlyList<string> Describe(ConfidentialChange change)
    {
        var application = change.Application;
        var lines = new List<string>
        {
            $"Confidential mode of {application.Name} is off; it had been on since {Time(change.WasOnSince)} (set by {change.WasOnBy ?? "unknown"}).",
        };
        if (change.DeployedWhileConfidential.Count == 0)
        {
            lines.Add("Nothing was deployed while it was on.");
        }
        else
        {
            lines.Add($"Deployed while it was on ({change.DeployedWhileConfidential.Count}):");
            lines.AddRange(change.DeployedWhileConfidential.Select(d =>
                $"  {(d.IsBranchDeploy ? "branch " : "")}{d.Release} to {d.Environment} at {Time(d.StartedAt)} by {d.DeployedBy} ({d.Status}{(d.Source == DeploymentSource.GovukDeploy ? "" : ", seen in " + d.Source)})"));
        }

        return lines;
    }

    /// <summary>The reminder to give when the mode goes off, or null when the repository was private all along.</summary>
    public static string? PublicAgainReminder(ConfidentialChange change) => change.VisibilityWhenOn switch
    {
        RepositoryVisibility.Public => $"{change.Application.Repository} was public when confidential mode was turned on: make it public again now that the fix is released.",
        RepositoryVisibility.Unknown => $"Whether {change.Application.Repository} was public when confidential mode was turned on is unknown: if it was, make it public again now that the fix is released.",
        _ => null,
    };

    private sealed record VisibilityAnswer(RepositoryVisibility Visibility, string? Why);

    private static async Task<VisibilityAnswer> ReadAsync(Application application, VisibilityReader readVisibility, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        try
        {
            var visibility = await readVisibility(application, cancellationToken).ConfigureAwait(false);
            return new VisibilityAnswer(visibility, visibility == RepositoryVisibility.Unknown ? "GitHub did not say" : null);
        }
        catch (GovukDeployException e)
        {
            reporter.Verbose($"Reading {application.Repository}'s visibility failed: {e.Message}");
            return new VisibilityAnswer(RepositoryVisibility.Unknown, $"{e.ErrorId}: {e.Message}");
        }
    }

    private static string Time(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "an unknown time";

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
