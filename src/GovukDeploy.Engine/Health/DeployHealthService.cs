using System.Collections.Concurrent;
using System.Globalization;
using GovukDeploy.Errors;
using NodaTime;

namespace GovukDeploy.Health;

/// <summary>
/// The checks GOV.UK's manual asks for after a deploy: new or regressed errors in Sentry, Icinga alerts,
/// the deployment dashboard (a link, never judged) and the smoke tests. Sentry and Icinga are asked at
/// the same time, one request per Sentry page and one Icinga request. A source that cannot be read is
/// Unknown, and so is the verdict: never Healthy on ignorance.
/// </summary>
public sealed class DeployHealthService : IDisposable
{
    private static readonly string[] FailingLevels = ["error", "fatal"];

    private readonly IClock _clock;
    private readonly Func<HttpMessageHandler, HttpMessageHandler>? _wrapHandler;
    private readonly SentryClient? _sentry;
    private readonly ConcurrentDictionary<string, IcingaClient> _icinga = new(StringComparer.OrdinalIgnoreCase);

    public DeployHealthService(HealthSettings settings, IClock clock, Func<HttpMessageHandler, HttpMessageHandler>? wrapHandler = null)
    {
        Settings = settings;
        _clock = clock;
        _wrapHandler = wrapHandler;
        _sentry = settings.SentryUrl is { } url ? new SentryClient(url, settings.SentryToken, settings.RequestTimeout, wrapHandler) : null;
    }

    public HealthSettings Settings { get; }

    public async Task<DeployHealth> CheckAsync(HealthTarget target, CancellationToken cancellationToken)
    {
        var sentry = SentryAsync(target, cancellationToken);
        var icinga = IcingaAsync(target, cancellationToken);
        HealthCheck[] checks = [await sentry.ConfigureAwait(false), await icinga.ConfigureAwait(false), Dashboard(target), SmokeTest(target)];
        return new DeployHealth
        {
            Application = target.Application.Name,
            Environment = target.Environment,
            Since = target.Since,
            Verdict = Verdict(checks),
            Checks = checks,
            CheckedAt = _clock.GetCurrentInstant().ToDateTimeOffset(),
            DeploymentId = target.Deployment?.Id,
        };
    }

    /// <summary>Unhealthy on any failure; Unknown when a source could not be read or nothing could be judged; else Healthy.</summary>
    public static HealthVerdict Verdict(IReadOnlyList<HealthCheck> checks)
    {
        if (checks.Any(c => c.Outcome == HealthOutcome.Failed))
        {
            return HealthVerdict.Unhealthy;
        }

        if (checks.Any(c => c.Outcome == HealthOutcome.Unknown))
        {
            return HealthVerdict.Unknown;
        }

        // The dashboard is a link for a person, not evidence: with nothing else judged, nothing is known.
        var judged = checks.Any(c => c.Name != HealthCheckNames.Dashboard && c.Outcome is HealthOutcome.Passed or HealthOutcome.Warning);
        return judged ? HealthVerdict.Healthy : HealthVerdict.Unknown;
    }

    // ---------------------------------------------------------------- Sentry

    /// <summary>The search sent to Sentry: unresolved issues at error level or above seen since the deploy began.</summary>
    public static string SentryQuery(DateTimeOffset since) =>
        $"is:unresolved lastSeen:>={Iso(since)} level:[{string.Join(',', FailingLevels)}]";

    private async Task<HealthCheck> SentryAsync(HealthTarget target, CancellationToken cancellationToken)
    {
        if (_sentry is null)
        {
            return NotConfigured(HealthCheckNames.Sentry, "SentryUrl is not set, so Sentry was not asked.");
        }

        var project = Settings.SentryProjectFor(target.Application);
        var url = $"{_sentry.BaseUrl}organizations/{Uri.EscapeDataString(Settings.SentryOrganisation)}/projects/{Uri.EscapeDataString(project)}/";
        SentryIssueList found;
        try
        {
            found = await _sentry.ListIssuesAsync(Settings.SentryOrganisation, project, SentryQuery(target.Since), Settings.MaxSentryPages, cancellationToken).ConfigureAwait(false);
        }
        catch (GovukDeployException e)
        {
            return Unknown(HealthCheckNames.Sentry, $"{e.Message} [{e.ErrorId}]", url);
        }

        var items = new List<HealthItem>();
        var older = 0;
        foreach (var issue in found.Issues)
        {
            // Sentry searched for these already; a stand-in or an older Sentry may not have, so check again.
            if (!FailingLevels.Contains(issue.Level) || issue.Status != "unresolved" || issue.LastSeen < target.Since)
            {
                continue;
            }

            // An issue whose first event is unknown is taken as new: never passed on ignorance.
            var isNew = issue.FirstSeen is not { } first || first >= target.Since;
            if (!isNew && !issue.Regressed)
            {
                older++;
                continue;
            }

            items.Add(new HealthItem
            {
                Id = issue.ShortId,
                Title = issue.Title,
                State = isNew ? "New" : "Regressed",
                Note = isNew ? $"first seen {Shown(issue.FirstSeen)}" : $"regressed, seen {Shown(issue.LastSeen)}",
                Count = issue.Count,
                Since = isNew ? issue.FirstSeen : issue.LastSeen,
                Url = issue.Permalink,
                Fails = true,
            });
        }

        var notCounted = older == 0 ? "" : $" ({older} older issue{(older == 1 ? "" : "s")} seen again {(older == 1 ? "is" : "are")} not counted)";
        if (items.Count > 0)
        {
            var newCount = items.Count(i => i.State == "New");
            var regressed = items.Count - newCount;
            var parts = new List<string>();
            if (newCount > 0)
            {
                parts.Add($"{newCount} new error{(newCount == 1 ? "" : "s")}");
            }

            if (regressed > 0)
            {
                parts.Add($"{regressed} regressed");
            }

            return new HealthCheck
            {
                Name = HealthCheckNames.Sentry,
                Outcome = HealthOutcome.Failed,
                Detail = $"{string.Join(" and ", parts)} in {project} since {Shown(target.Since)}{(found.Truncated ? " (and maybe more: only the first pages were read)" : "")}{notCounted}.",
                Url = url,
                Items = [.. items],
            };
        }

        if (found.Truncated)
        {
            return Unknown(HealthCheckNames.Sentry,
                $"Sentry has more issues seen in {project} since {Shown(target.Since)} than the {found.Pages} pages read, so new ones may be among the rest. Look in Sentry.", url);
        }

        return new HealthCheck
        {
            Name = HealthCheckNames.Sentry,
            Outcome = HealthOutcome.Passed,
            Detail = $"No new or regressed errors in {project} since {Shown(target.Since)}{notCounted}.",
            Url = url,
        };
    }

    // ---------------------------------------------------------------- Icinga

    /// <summary>What the service filter may name: the application only ever travels here, never in the filter.</summary>
    public static Dictionary<string, string> IcingaFilterVars(Application application, string environment) => new()
    {
        ["app"] = application.Name,
        ["deploy_name"] = application.DeployName,
        ["environment"] = environment,
    };

    private async Task<HealthCheck> IcingaAsync(HealthTarget target, CancellationToken cancellationToken)
    {
        if (Settings.IcingaUrlTemplate is null)
        {
            return NotConfigured(HealthCheckNames.Icinga, "IcingaUrl is not set, so Icinga was not asked.");
        }

        var client = IcingaFor(target.Environment);
        IReadOnlyList<IcingaServiceState> services;
        try
        {
            services = await client.GetServicesAsync(Settings.IcingaServiceFilter, IcingaFilterVars(target.Application, target.Environment), cancellationToken).ConfigureAwait(false);
        }
        catch (GovukDeployException e)
        {
            return Unknown(HealthCheckNames.Icinga, $"{e.Message} [{e.ErrorId}]", null);
        }

        if (services.Count == 0)
        {
            return Unknown(HealthCheckNames.Icinga,
                $"Icinga for {target.Environment} has no services for {target.Application.Name} (IcingaServiceFilter '{Settings.IcingaServiceFilter}' selects none), so nothing can be said of its alerts. " +
                "Check the filter, or that the application is monitored.", null);
        }

        var items = new List<HealthItem>();
        foreach (var service in services.Where(s => !s.IsOk))
        {
            string note;
            var fails = false;
            if (!service.IsHard)
            {
                note = "soft: not yet confirmed";
            }
            else if (service.Acknowledgement > 0)
            {
                note = service.Acknowledgement == 2 ? "acknowledged (sticky)" : "acknowledged";
            }
            else if (service.DowntimeDepth > 0)
            {
                note = "in downtime";
            }
            else if (service.LastStateChange is not { } changed || changed >= target.Since)
            {
                note = "since the deploy";
                fails = true;
            }
            else
            {
                note = $"older than the deploy (since {Shown(changed)})";
            }

            items.Add(new HealthItem
            {
                Id = service.Name,
                Title = service.Output is null ? service.DisplayName : $"{service.DisplayName}: {service.Output}",
                State = service.StateName,
                Note = note,
                Since = service.LastStateChange,
                Fails = fails,
            });
        }

        var failing = items.Count(i => i.Fails);
        var older = items.Count(i => i.Note!.StartsWith("older", StringComparison.Ordinal));
        var quiet = items.Count - failing - older;
        var summary = new List<string>();
        if (failing > 0)
        {
            summary.Add($"{failing} not OK since the deploy");
        }

        if (older > 0)
        {
            summary.Add($"{older} not OK since before the deploy");
        }

        if (quiet > 0)
        {
            summary.Add($"{quiet} acknowledged, in downtime or soft (not counted)");
        }

        return new HealthCheck
        {
            Name = HealthCheckNames.Icinga,
            Outcome = failing > 0 ? HealthOutcome.Failed : older > 0 ? HealthOutcome.Warning : HealthOutcome.Passed,
            Detail = items.Count == 0
                ? $"All {services.Count} of {target.Application.Name}'s services in {target.Environment} are OK."
                : $"{items.Count} of {services.Count} services not OK: {string.Join("; ", summary)}.",
            Items = [.. items],
        };
    }

    private IcingaClient IcingaFor(string environment) => _icinga.GetOrAdd(environment, env =>
    {
        var text = Settings.IcingaUrlTemplate!.Replace(Configuration.SettingValidators.EnvironmentPlaceholder, Uri.EscapeDataString(env), StringComparison.OrdinalIgnoreCase);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw ErrorCatalogue.IcingaUrlInvalid(text, env);
        }

        return new IcingaClient(url, env, Settings.IcingaUser, Settings.IcingaPassword, Settings.RequestTimeout, _wrapHandler);
    });

    // ---------------------------------------------------------------- the dashboard and the smoke tests

    private HealthCheck Dashboard(HealthTarget target)
    {
        if (Settings.DashboardUrlTemplate is not { } template)
        {
            return NotConfigured(HealthCheckNames.Dashboard, "DashboardUrl is not set.");
        }

        var url = template
            .Replace(Configuration.SettingValidators.ApplicationPlaceholder, Uri.EscapeDataString(target.Application.Name), StringComparison.OrdinalIgnoreCase)
            .Replace(Configuration.SettingValidators.EnvironmentPlaceholder, Uri.EscapeDataString(target.Environment), StringComparison.OrdinalIgnoreCase);
        return new HealthCheck
        {
            Name = HealthCheckNames.Dashboard,
            Outcome = HealthOutcome.Passed,
            Detail = $"Look at the dashboard yourself: {url} (a link, not judged).",
            Url = url,
        };
    }

    private static HealthCheck SmokeTest(HealthTarget target) => target.Deployment?.SmokeTest switch
    {
        SmokeTestResult.PassedResult => new HealthCheck
        {
            Name = HealthCheckNames.SmokeTest, Outcome = HealthOutcome.Passed, Detail = $"The smoke tests after deploy #{target.Deployment.Id} passed.",
        },
        SmokeTestResult.FailedResult => new HealthCheck
        {
            Name = HealthCheckNames.SmokeTest, Outcome = HealthOutcome.Failed, Detail = $"The smoke tests after deploy #{target.Deployment.Id} failed.",
        },
        null when target.Deployment is null => NotConfigured(HealthCheckNames.SmokeTest, $"No deploy began since {Shown(target.Since)}, so there is no smoke test result to show."),
        null => NotConfigured(HealthCheckNames.SmokeTest, $"No smoke tests ran after deploy #{target.Deployment.Id}; Invoke-SmokeTest runs them."),
        var other => new HealthCheck
        {
            Name = HealthCheckNames.SmokeTest, Outcome = HealthOutcome.Unknown, Detail = $"The smoke tests after deploy #{target.Deployment!.Id} ended '{other}'.",
        },
    };

    private static HealthCheck NotConfigured(string name, string detail) => new() { Name = name, Outcome = HealthOutcome.NotConfigured, Detail = detail };

    private static HealthCheck Unknown(string name, string detail, string? url) => new() { Name = name, Outcome = HealthOutcome.Unknown, Detail = detail, Url = url };

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Shown(DateTimeOffset? value) => value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "at an unknown time";

    public void Dispose()
    {
        _sentry?.Dispose();
        foreach (var client in _icinga.Values)
        {
            client.Dispose();
        }
    }
}
