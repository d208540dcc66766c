using GovukDeploy.Configuration;
using System.Globalization;
using GovukDeploy.Confidential;
using GovukDeploy.Errors;
using GovukDeploy.Store;
using GovukDeploy.DeployWindows;
using NodaTime;

namespace GovukDeploy.Deploys.Gates;

/// <summary>
/// Evaluates the deploy gates in order: the release exists, promotion order, freeze, window, other
/// people's changes, one deploy at a time. Enforced, it stops at the first failing gate with that
/// gate's error and takes the deploy lock; in WhatIf mode it evaluates every gate and changes nothing.
/// -Force with a reason turns a failing freeze or window gate into Overridden; the store audits each
/// override (GateOverridden, with the reason) when the deploy that uses it starts. -Force never
/// passes the release, promotion or lock gates.
/// A rollback (<see cref="DeployRequest.Rollback"/>) puts back a release that ran in the environment
/// before: the promotion-order gate is skipped once the store's history shows that, and the window gate
/// passes when the window is shut (incidents do not keep office hours), each verdict saying why; other
/// people's changes are not asked about (a rollback ships nothing new); the freeze and lock gates hold.
/// </summary>
public sealed class DeployGateEvaluator
{
    private readonly IDeployStore _store;
    private readonly DeployWindowService _windows;
    private readonly IClock _clock;
    private readonly DeploySettings _settings;
    private readonly FreezeService _freezes;
    private readonly Func<string, CancellationToken, Task<TimeSpan?>>? _jenkinsEstimate;

    /// <param name="jenkinsEstimate">Jenkins' estimatedDuration of the deploy job in an environment, used when the store has no history.</param>
    public DeployGateEvaluator(IDeployStore store, DeployWindowService windows, IClock clock, DeploySettings settings,
        IReleaseAppFreezeSource? releaseApp = null, Func<string, CancellationToken, Task<TimeSpan?>>? jenkinsEstimate = null)
    {
        _store = store;
        _windows = windows;
        _clock = clock;
        _settings = settings;
        // What is frozen is the one FreezeService query that Get-DeployFreeze and Get-DeployStatus use too.
        _freezes = new FreezeService(store, clock, "deploy gates", new EnvironmentPolicy(settings.Environments), releaseApp);
        _jenkinsEstimate = jenkinsEstimate;
    }

    public async Task<GateEvaluation> EvaluateAsync(GateRequest request, GateMode mode, CancellationToken cancellationToken)
    {
        var deploy = request.Deploy;
        var whatIf = mode == GateMode.WhatIf;
        var verdicts = new List<GateVerdict>();
        var errors = new Dictionary<string, GovukDeployException>();
        var overrides = new List<GateVerdict>();
        var context = new Context(deploy, _clock.GetCurrentInstant().ToDateTimeOffset());
        DeployLockHandle? lockHandle = null;

        // Whether the deploy is confidential is known once the release gate has found the application.
        var gates = GateNames.For(confidential: true);
        foreach (var gate in gates)
        {
            if (gate == GateNames.Confidential && !context.Confidential)
            {
                // Only a confidential deploy has this gate, so other deploys' verdicts stay as they were.
                continue;
            }

            var (verdict, error) = gate switch
            {
                GateNames.Release => await ReleaseGateAsync(request, context, cancellationToken).ConfigureAwait(false),
                GateNames.Confidential => await ConfidentialGateAsync(request, context, cancellationToken).ConfigureAwait(false),
                GateNames.PromotionOrder => await PromotionGateAsync(request, context, cancellationToken).ConfigureAwait(false),
                GateNames.Freeze => await FreezeGateAsync(context, cancellationToken).ConfigureAwait(false),
                GateNames.Window => await WindowGateAsync(context, cancellationToken).ConfigureAwait(false),
                GateNames.OtherChanges => await OtherChangesGateAsync(request, context, cancellationToken).ConfigureAwait(false),
                _ => await LockGateAsync(context, whatIf, cancellationToken).ConfigureAwait(false),
            };

            if (verdict.Refuses && error is not null && Overridable(verdict, error) && deploy.Force)
            {
                if (string.IsNullOrWhiteSpace(deploy.Reason))
                {
                    error = ErrorCatalogue.ForceNeedsReason($"the {gate} gate ({verdict.Detail})", deploy.ToString(), error);
                    verdict = new GateVerdict { Gate = gate, Outcome = verdict.Outcome, Detail = verdict.Detail + " (-Force needs -Reason)" };
                }
                else
                {
                    verdict = new GateVerdict { Gate = gate, Outcome = GateOutcome.Overridden, Detail = $"{verdict.Detail}; overridden: {deploy.Reason!.Trim()}" };
                    overrides.Add(verdict);
                    error = null;
                }
            }

            verdicts.Add(verdict);
            if (verdict.Refuses && error is not null)
            {
                if (!whatIf)
                {
                    throw error;
                }

                errors[gate] = error;
            }

            if (gate == GateNames.DeployLock)
            {
                lockHandle = context.Lock;
            }

            // Later gates need the application; without it they cannot say anything useful.
            if (context.Application is null)
            {
                foreach (var rest in GateNames.For(deploy.Confidential).SkipWhile(g => g != gate).Skip(1))
                {
                    verdicts.Add(new GateVerdict { Gate = rest, Outcome = GateOutcome.Skipped, Detail = "Not evaluated: the application is unknown." });
                }

                break;
            }
        }

        return new GateEvaluation
        {
            // The confidential gate may have learnt the branch's commit, which is what the store records.
            Request = context.Deploy,
            Verdicts = verdicts,
            Application = context.Application,
            Errors = errors,
            OtherPeoplesChanges = context.OtherChanges,
            ExpectedDuration = context.ExpectedDuration,
            // The store writes each override to the audit log with the deploy that makes use of it.
            OverrideReason = overrides.Count > 0 ? deploy.Reason!.Trim() : null,
            Lock = lockHandle,
        };
    }

    /// <summary>
    /// -Force -Reason may pass a freeze or a window, other people's changes that could not be listed, and a
    /// confidential branch deploy from a repository that is public (or of unknown visibility); never a missing
    /// release, the promotion order or a deploy already running.
    /// </summary>
    private static bool Overridable(GateVerdict verdict, GovukDeployException error) =>
        verdict.Gate is GateNames.Freeze or GateNames.Window
        || (verdict.Gate == GateNames.OtherChanges && verdict.Outcome == GateOutcome.Unknown)
        || (verdict.Gate == GateNames.Confidential && error.ErrorId is "RepositoryNotPrivate" or "RepositoryVisibilityUnknown");

    /// <summary>What each environment runs, observed once per evaluation; null when the request has no observer.</summary>
    private static async Task<Observed.RunningView?> ObserveAsync(GateRequest request, Context context, CancellationToken cancellationToken)
    {
        if (request.Observe is null)
        {
            return null;
        }

        return context.Running ??= await request.Observe(context.Application!, cancellationToken).ConfigureAwait(false);
    }

    private (GateVerdict, GovukDeployException?) Unknown(string gate, Func<string, string, string, object?, GovukDeployException> error, Observed.EnvironmentObservation observation, string what, string advice) =>
        (new GateVerdict { Gate = gate, Outcome = GateOutcome.Unknown, Detail = $"{what} is unknown: {observation.Describe(_clock.GetCurrentInstant().ToDateTimeOffset())}" },
         error(what, observation.Describe(_clock.GetCurrentInstant().ToDateTimeOffset()), advice, observation.Environment));

    // ---------------------------------------------------------------- 1. the release exists

    private async Task<(GateVerdict, GovukDeployException?)> ReleaseGateAsync(GateRequest request, Context context, CancellationToken cancellationToken)
    {
        var deploy = context.Deploy;
        var application = await _store.GetApplicationAsync(deploy.Application, cancellationToken).ConfigureAwait(false);
        if (application is null)
        {
            return Fail(GateNames.Release, $"No application '{deploy.Application}'.", ErrorCatalogue.ApplicationNotFound(deploy.Application));
        }

        if (application.Retired)
        {
            return Fail(GateNames.Release, $"{application.Name} is retired.", ErrorCatalogue.ApplicationRetired(application.Name));
        }

        context.Application = application;
        if (application.Confidential && !deploy.Confidential)
        {
            context.Deploy = deploy = deploy with { Confidential = true };
        }

        if (string.IsNullOrWhiteSpace(deploy.Ref))
        {
            return Fail(GateNames.Release, "No release or branch given.", ErrorCatalogue.ReleaseRequired(application.Name));
        }

        if (deploy.IsBranchDeploy && !string.IsNullOrWhiteSpace(deploy.BranchRepository)
            && !deploy.BranchRepository.Equals(application.Repository, StringComparison.OrdinalIgnoreCase))
        {
            return Fail(GateNames.Release, $"The branch {deploy.Ref} is in a fork ({deploy.BranchRepository}).",
                ErrorCatalogue.BranchFromFork(application, deploy.Ref, deploy.BranchRepository));
        }

        var kind = deploy.IsBranchDeploy ? "branch" : "release";
        if (!await request.RefExists(application, deploy.Ref, cancellationToken).ConfigureAwait(false))
        {
            return Fail(GateNames.Release, $"No {kind} {deploy.Ref} in {application.Repository}.", deploy.IsBranchDeploy
                ? ErrorCatalogue.BranchNotFound(application, deploy.Ref)
                : ErrorCatalogue.ReleaseNotFound(application, deploy.Ref));
        }

        if (deploy.IsBranchDeploy && string.IsNullOrWhiteSpace(deploy.Sha) && request.BranchHead is not null)
        {
            // The commit the branch is at, so that the store knows what was deployed (a branch moves on).
            context.Deploy = deploy = deploy with { Sha = await request.BranchHead(application, deploy.Ref, cancellationToken).ConfigureAwait(false) };
        }

        return Pass(GateNames.Release, $"{application.Name} {kind} {deploy.Ref} exists in {application.Repository}{(deploy.IsBranchDeploy && deploy.Sha is { } sha ? $" at {sha}" : "")}.");
    }

    // ---------------------------------------------------------------- 1b. confidential: the repository is private

    private async Task<(GateVerdict, GovukDeployException?)> ConfidentialGateAsync(GateRequest request, Context context, CancellationToken cancellationToken)
    {
        var deploy = context.Deploy;
        var application = context.Application!;
        var why = deploy.Confidential && !application.Confidential ? "-Confidential" : "confidential mode";
        if (deploy.IsBranchDeploy && string.IsNullOrWhiteSpace(deploy.Sha))
        {
            // The store records a confidential branch deploy by its commit (read by the release gate), never by the branch's name.
            return Fail(GateNames.Confidential, "The branch's head commit could not be read.", ErrorCatalogue.ConfidentialBranchUnresolved(application.Name, application.Repository));
        }

        RepositoryVisibility visibility;
        string? problem = null;
        try
        {
            visibility = request.Visibility is null ? RepositoryVisibility.Unknown : await request.Visibility(application, cancellationToken).ConfigureAwait(false);
        }
        catch (GovukDeployException e)
        {
            visibility = RepositoryVisibility.Unknown;
            problem = $"{e.ErrorId}: {e.Message}";
        }

        problem ??= request.Visibility is null ? "no way to ask GitHub was given" : "GitHub did not say";
        var what = deploy.IsBranchDeploy ? $"deploying the branch {deploy.Ref}" : $"deploying {deploy.Ref}";
        switch (visibility)
        {
            case RepositoryVisibility.Private or RepositoryVisibility.Internal:
                return Pass(GateNames.Confidential, $"Confidential ({why}): {application.Repository} is {visibility.ToString().ToLowerInvariant()}; Slack, the store and the Release app get the release tag and SHA only.");
            case RepositoryVisibility.Public when !deploy.IsBranchDeploy:
                return (new GateVerdict
                {
                    Gate = GateNames.Confidential,
                    Outcome = GateOutcome.Warning,
                    Detail = $"Confidential ({why}), but {application.Repository} is public: {deploy.Ref} is already published there, so deploying it discloses nothing new. Make the repository private before the fix is pushed.",
                }, null);
            case RepositoryVisibility.Public:
                return Fail(GateNames.Confidential, $"Confidential ({why}), but {application.Repository} is public.", ErrorCatalogue.RepositoryNotPrivate(application, what));
            default:
                return deploy.IsBranchDeploy
                    ? (new GateVerdict { Gate = GateNames.Confidential, Outcome = GateOutcome.Unknown, Detail = $"Confidential ({why}); whether {application.Repository} is private is unknown: {problem}" },
                        ErrorCatalogue.RepositoryVisibilityUnknown(application, what, problem))
                    : (new GateVerdict
                    {
                        Gate = GateNames.Confidential,
                        Outcome = GateOutcome.Warning,
                        Detail = $"Confidential ({why}); whether {application.Repository} is private is unknown ({problem}). A release tag is deployed, which discloses nothing that is not already in the repository.",
                    }, null);
        }
    }

    // ---------------------------------------------------------------- 2. promotion order

    private async Task<(GateVerdict, GovukDeployException?)> PromotionGateAsync(GateRequest request, Context context, CancellationToken cancellationToken)
    {
        var deploy = context.Deploy;
        var policy = new EnvironmentPolicy(_settings.Environments);
        var environments = policy.Names;
        var index = policy.IndexOf(deploy.Environment);
        if (index < 0)
        {
            return Fail(GateNames.PromotionOrder, $"Unknown environment {deploy.Environment}.", policy.UnknownEnvironment(deploy.Environment));
        }

        if (deploy.IsBranchDeploy)
        {
            return index == 0
                ? Pass(GateNames.PromotionOrder, $"A branch deploy to {environments[0]} (never counts for promotion).")
                : Fail(GateNames.PromotionOrder, $"Branches deploy to {environments[0]} only.", ErrorCatalogue.BranchDeployNotAllowed(environments[0], deploy.Branch));
        }

        if (deploy.Rollback)
        {
            return await RollbackPromotionAsync(context, environments[index], cancellationToken).ConfigureAwait(false);
        }

        if (index == 0)
        {
            return Pass(GateNames.PromotionOrder, $"{environments[0]} is the first environment.");
        }

        var previous = policy.PredecessorOf(deploy.Environment)!;
        if (await ObserveAsync(request, context, cancellationToken).ConfigureAwait(false) is { } running && !running.IsKnown(previous))
        {
            return Unknown(GateNames.PromotionOrder, ErrorCatalogue.PromotionOrderUnknown, running.Observation.For(previous), $"Whether {deploy.Release} runs on {previous}",
                $"Check that {previous} Jenkins answers (Sync-Deployment reads it again), then deploy.");
        }

        var history = await _store.GetDeploymentsAsync(new DeploymentQuery { Applications = [context.Application!.Name], Environment = previous }, cancellationToken).ConfigureAwait(false);
        var succeeded = history.FirstOrDefault(d => d.ChangedWhatRuns && !d.IsBranchDeploy && string.Equals(d.Release, deploy.Release, StringComparison.Ordinal));
        if (succeeded is null)
        {
            return Fail(GateNames.PromotionOrder, $"{deploy.Release} has not succeeded on {previous}.", ErrorCatalogue.PromotionOrderViolated(context.Application.Name, deploy.Release!, previous, deploy.Environment));
        }

        var by = succeeded.Source == DeploymentSource.GovukDeploy ? $"deploy #{succeeded.Id}" : $"{succeeded.Source} {succeeded.BuildUrl ?? ""}".TrimEnd();
        return Pass(GateNames.PromotionOrder, $"{deploy.Release} succeeded on {previous} ({by} by {succeeded.DeployedBy}, {succeeded.FinishedAt:u}).");
    }

    /// <summary>
    /// A rollback needs no promotion: the release ran in this very environment before. That is checked
    /// here, from the store's history (ours and observed), so that no caller can pass off a new release as one.
    /// </summary>
    private async Task<(GateVerdict, GovukDeployException?)> RollbackPromotionAsync(Context context, string environment, CancellationToken cancellationToken)
    {
        var deploy = context.Deploy;
        var application = context.Application!;
        var history = await _store.GetDeploymentsAsync(new DeploymentQuery { Applications = [application.Name], Environment = environment }, cancellationToken).ConfigureAwait(false);
        var before = history.FirstOrDefault(d => d.ChangedWhatRuns && !d.IsBranchDeploy && string.Equals(d.Release, deploy.Release, StringComparison.Ordinal));
        if (before is null)
        {
            return Fail(GateNames.PromotionOrder, $"A rollback must return to a release that ran in {environment} before, and {deploy.Release} never succeeded there.",
                ErrorCatalogue.RollbackReleaseNotDeployedBefore(application, environment, deploy.Release!, history));
        }

        return (new GateVerdict
        {
            Gate = GateNames.PromotionOrder,
            Outcome = GateOutcome.Skipped,
            Detail = $"Skipped for a rollback: {deploy.Release} ran in {environment} before ({Rollbacks.Describe(before)}), so it needs no promotion.",
        }, null);
    }

    // ---------------------------------------------------------------- 3. freeze

    private async Task<(GateVerdict, GovukDeployException?)> FreezeGateAsync(Context context, CancellationToken cancellationToken)
    {
        var deploy = context.Deploy;
        var application = context.Application!;
        // The Release app is asked afresh (never from the listing's cache): a deploy never goes ahead on a remembered "not frozen".
        var inForce = (await _freezes.InForceAsync([application], deploy.Environment, cancellationToken: cancellationToken).ConfigureAwait(false)).ByApplication[0];
        var freezes = inForce.Stored;
        var blocking = new List<string>(freezes.Select(Describe));
        if (inForce.ReleaseApp is { } flagged)
        {
            blocking.Add(TerminalText.Visible(flagged.Reason));
        }
        var unknown = inForce.ReleaseAppUnknown is not null;
        if (unknown)
        {
            blocking.Add(TerminalText.Visible(inForce.ReleaseAppUnknownDetail!));
        }

        if (blocking.Count == 0)
        {
            return Pass(GateNames.Freeze, $"No freeze for {application.Name} in {deploy.Environment}.");
        }

        var detail = string.Join("; ", blocking);
        return Fail(GateNames.Freeze, detail, freezes.Count == 0 && unknown
            ? ErrorCatalogue.FreezeStatusUnknown(application.Name, detail, application.Name)
            : ErrorCatalogue.DeployFrozen(application.Name, deploy.Environment, detail, freezes.FirstOrDefault() as object ?? application.Name));
    }

    // A freeze's words are data: shown on one line, control characters visible, wherever the gate's detail goes.
    private static string Describe(DeployFreeze freeze) =>
        $"{(freeze.IsGlobal ? "every application" : freeze.Application)} frozen in {freeze.Environment} by {TerminalText.Visible(freeze.SetBy)}: {TerminalText.Visible(freeze.Reason)} (contact {TerminalText.Visible(freeze.Contact)}" +
        (freeze.Until is { } until ? $", until {until.ToString("u", CultureInfo.InvariantCulture)})" : ")");

    // ---------------------------------------------------------------- 4. window

    private async Task<(GateVerdict, GovukDeployException?)> WindowGateAsync(Context context, CancellationToken cancellationToken)
    {
        var deploy = context.Deploy;
        var application = context.Application!;
        var durations = await _store.GetRecentDeployDurationsAsync(application.Name, deploy.Environment, _settings.DurationSamples, cancellationToken).ConfigureAwait(false);
        string source;
        TimeSpan? expected;
        if (durations.Count > 0)
        {
            expected = Median(durations);
            source = $"the median of its last {durations.Count} successful deploys";
        }
        else
        {
            string? why = null;
            try
            {
                expected = _jenkinsEstimate is null ? null : await _jenkinsEstimate(deploy.Environment, cancellationToken).ConfigureAwait(false);
            }
            catch (GovukDeployException e)
            {
                // The deploy itself will need that Jenkins; the window is judged on what is known.
                expected = null;
                why = $" (Jenkins' estimate could not be read: {e.ErrorId})";
            }

            source = expected is null ? "no history or Jenkins estimate" + why : "Jenkins' estimate";
        }

        context.ExpectedDuration = expected;
        var verdict = _windows.Test(context.Now, deploy.Environment, expected ?? TimeSpan.Zero);
        var duration = expected is { } d ? $"expected to take {d:hh\\:mm\\:ss} ({source})" : "duration unknown";
        if (verdict.Allowed)
        {
            var closes = verdict.WindowCloses is { } c ? $"the window is open until {c.ToString("u", CultureInfo.InvariantCulture)}" : $"{deploy.Environment} is always open";
            return Pass(GateNames.Window, $"{closes}; {duration}.");
        }

        var detail = $"{verdict.Reason}{(verdict.Detail is null ? "" : ": " + verdict.Detail)}; {duration}";
        if (deploy.Rollback && verdict.Reason != DeployWindowReason.Frozen)
        {
            // A freeze is the freeze gate's to judge; shut hours never hold up a rollback.
            return Pass(GateNames.Window, $"{deploy.Environment} is outside its deploy window now ({detail}), but a rollback passes: incidents do not keep office hours.");
        }

        return Fail(GateNames.Window, detail, ErrorCatalogue.OutsideDeployWindow(deploy.Environment, detail, verdict.NextOpening, verdict));
    }

    private static TimeSpan Median(IReadOnlyList<TimeSpan> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    // ---------------------------------------------------------------- 5. other people's changes

    private async Task<(GateVerdict, GovukDeployException?)> OtherChangesGateAsync(GateRequest request, Context context, CancellationToken cancellationToken)
    {
        var deploy = context.Deploy;
        if (deploy.Rollback)
        {
            // What it takes out is shown by Undo-Deployment's plan; there is nobody to ask about shipping.
            return Pass(GateNames.OtherChanges, $"A rollback ships nothing new: it returns {deploy.Environment} to {deploy.Release}, which ran there before.");
        }

        if (request.OtherPeoplesChanges is null)
        {
            return (new GateVerdict { Gate = GateNames.OtherChanges, Outcome = GateOutcome.Skipped, Detail = "Not checked." }, null);
        }

        const string advice = "Try again when it can be read, or, if it cannot wait and you have checked the changes yourself, deploy with -Force -Reason '...'.";
        if (await ObserveAsync(request, context, cancellationToken).ConfigureAwait(false) is { } running)
        {
            if (!running.IsKnown(deploy.Environment))
            {
                return Unknown(GateNames.OtherChanges, (what, why, advice, target) => ErrorCatalogue.OtherChangesUnknown(what, why, advice, target), running.Observation.For(deploy.Environment),
                    $"What {context.Application!.Name} runs in {deploy.Environment}, and so whose changes go out,", advice);
            }

            if (running.Get(context.Application!.Name, deploy.Environment) is null)
            {
                // Known never deployed: every commit goes out, and there is nothing to compare with.
                return (new GateVerdict
                {
                    Gate = GateNames.OtherChanges,
                    Outcome = GateOutcome.Warning,
                    Detail = $"No deploy of {context.Application.Name} to {deploy.Environment} has been seen in Jenkins' history or the store: this first deploy ships every commit of {deploy.Release}.",
                }, null);
            }
        }

        IReadOnlyList<UndeployedCommit> commits;
        try
        {
            commits = await request.OtherPeoplesChanges(context.Application!, cancellationToken).ConfigureAwait(false);
        }
        catch (GovukDeployException e)
        {
            return (new GateVerdict { Gate = GateNames.OtherChanges, Outcome = GateOutcome.Unknown, Detail = $"The undeployed changes could not be listed: {e.Message}" },
                ErrorCatalogue.OtherChangesUnknown($"Whose changes {deploy} would ship", e.Message, advice, deploy.ToString(), e));
        }

        context.OtherChanges = commits;
        if (commits.Count == 0)
        {
            return Pass(GateNames.OtherChanges, "No undeployed changes by other people.");
        }

        var authors = string.Join(", ", commits.Select(c => c.Author).Distinct(StringComparer.OrdinalIgnoreCase));
        return (new GateVerdict
        {
            Gate = GateNames.OtherChanges,
            Outcome = GateOutcome.Warning,
            Detail = $"{commits.Count} undeployed commit(s) by {authors} go out too; ask them first: {string.Join("; ", commits)}",
        }, null);
    }

    // ---------------------------------------------------------------- 6. one deploy at a time

    private async Task<(GateVerdict, GovukDeployException?)> LockGateAsync(Context context, bool whatIf, CancellationToken cancellationToken)
    {
        var deploy = context.Deploy;
        var application = context.Application!;
        DeployLockHandle? handle = null;
        if (whatIf)
        {
            var holder = await _store.GetLockAsync(application.Name, deploy.Environment, cancellationToken).ConfigureAwait(false);
            // Leases are stamped by the store's clock (real time), not by the policy clock the window uses.
            if (holder is not null && !holder.CanBeTakenOverAt(DateTimeOffset.UtcNow))
            {
                return LockHeld(application, deploy, holder);
            }

            if (holder is not null)
            {
                return (new GateVerdict { Gate = GateNames.DeployLock, Outcome = GateOutcome.Warning, Detail = $"Would take over the deploy lock of {holder.DescribeHolder()}, whose process has stopped renewing it." }, null);
            }
        }
        else
        {
            var owner = $"{DeployLockLease.DefaultOwner(deploy.Actor)}/{Guid.NewGuid():N}";
            try
            {
                // The lease renews itself while the deploy is followed, and lapses if this process dies.
                handle = new DeployLockHandle(await DeployLockLease.AcquireAsync(_store, application.Name, deploy.Environment, owner, _settings.LockLease, _settings.LockRenewalInterval, cancellationToken).ConfigureAwait(false));
            }
            catch (GovukDeployException e) when (e.ErrorId == "DeployLocked")
            {
                var holder = await _store.GetLockAsync(application.Name, deploy.Environment, cancellationToken).ConfigureAwait(false);
                return holder is null
                    ? Fail(GateNames.DeployLock, e.Message, ErrorCatalogue.DeployInProgress(application.Name, deploy.Environment, "another session, which has just let go", null, null, application.Name, e))
                    : LockHeld(application, deploy, holder);
            }
        }

        // A deploy whose watcher stopped (Ctrl+C, a crash) still runs in Jenkins: its record stays InProgress.
        var running = await _store.GetDeploymentsAsync(new DeploymentQuery { Applications = [application.Name], Environment = deploy.Environment, InProgressOnly = true }, cancellationToken).ConfigureAwait(false);
        if (running.FirstOrDefault() is { } other)
        {
            if (handle is not null)
            {
                await handle.DisposeAsync().ConfigureAwait(false);
            }

            return Fail(GateNames.DeployLock, $"Deploy #{other.Id} ({other.Release}, by {other.DeployedBy}) is in progress.", ErrorCatalogue.DeployInProgress(application.Name, deploy.Environment,
                $"Deploy #{other.Id} of {other.Release} by {other.DeployedBy}, {other.BuildUrl ?? "no build yet"}", other.StartedAt, other.Id, other));
        }

        context.Lock = handle;
        if (handle?.TakeoverWarning is { } takeover)
        {
            return (new GateVerdict { Gate = GateNames.DeployLock, Outcome = GateOutcome.Warning, Detail = takeover }, null);
        }

        return Pass(GateNames.DeployLock, whatIf ? $"No other deploy of {application.Name} to {deploy.Environment} is running." : $"Deploy lock taken for {application.Name} in {deploy.Environment}.");
    }

    private static (GateVerdict, GovukDeployException?) LockHeld(Application application, DeployRequest deploy, DeployLock holder) =>
        Fail(GateNames.DeployLock, $"{holder.Owner} is deploying {application.Name} to {deploy.Environment}.",
            ErrorCatalogue.DeployInProgress(application.Name, deploy.Environment, holder.Owner, holder.AcquiredAt, null, holder, lease: DeployLockLease.Renewal(holder)));

    private static (GateVerdict, GovukDeployException?) Pass(string gate, string detail) =>
        (new GateVerdict { Gate = gate, Outcome = GateOutcome.Passed, Detail = detail }, null);

    private static (GateVerdict, GovukDeployException?) Fail(string gate, string detail, GovukDeployException error) =>
        (new GateVerdict { Gate = gate, Outcome = GateOutcome.Failed, Detail = detail }, error);

    private sealed class Context(DeployRequest deploy, DateTimeOffset now)
    {
        public DeployRequest Deploy { get; set; } = deploy;

        /// <summary>Given -Confidential, or the application is confidential (known once the release gate found it).</summary>
        public bool Confidential => Deploy.Confidential || Application?.Confidential == true;
        public DateTimeOffset Now { get; } = now;
        public Application? Application { get; set; }
        public IReadOnlyList<UndeployedCommit> OtherChanges { get; set; } = [];
        public TimeSpan? ExpectedDuration { get; set; }
        public DeployLockHandle? Lock { get; set; }
        public Observed.RunningView? Running { get; set; }
    }
}
