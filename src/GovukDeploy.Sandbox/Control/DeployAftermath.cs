using GovukDeploy.Sandbox.Icinga;
using GovukDeploy.Sandbox.Sentry;

namespace GovukDeploy.Sandbox.Control;

/// <summary>
/// What happens "after the next deploy of X to Y": scripted by tests and demos, applied when Deploy_App
/// next deploys that application to that environment successfully (or at once, for "now"). Each effect
/// leaves its mark where a person would look: a Sentry issue, an Icinga service, a failing Smokey.
/// </summary>
public sealed class DeployAftermath
{
    /// <summary>Every effect the sandbox can script, and what it does.</summary>
    public static readonly IReadOnlyDictionary<string, string> Effects = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["new-error"] = "a Sentry issue at level error, first seen after the deploy",
        ["new-warning"] = "a Sentry issue at level warning, first seen after the deploy",
        ["regressed-error"] = "a resolved Sentry issue from before comes back (substatus regressed)",
        ["old-error"] = "an unresolved Sentry issue first seen long before the deploy is seen again",
        ["critical-alert"] = "an Icinga service goes CRITICAL (hard) after the deploy",
        ["critical-alert-before"] = "an Icinga service CRITICAL (hard) since an hour before the deploy",
        ["acknowledged-alert"] = "an Icinga service goes CRITICAL after the deploy and is acknowledged",
        ["downtime-alert"] = "an Icinga service goes CRITICAL after the deploy, inside a downtime",
        ["smoke-failure"] = "the next Smokey run for the application fails",
    };

    private readonly object _sync = new();
    private readonly List<ScriptedEffect> _pending = [];
    private readonly HashSet<(string Application, string Environment)> _smokeFailures = [];
    private readonly SentryStore _sentry;
    private readonly IcingaStore _icinga;
    private long _nextId;

    public DeployAftermath(SentryStore sentry, IcingaStore icinga)
    {
        _sentry = sentry;
        _icinga = icinga;
    }

    /// <summary>Scripts an effect; ArgumentException with a message fit for the caller when it makes no sense.</summary>
    public ScriptedEffect Script(string? application, string? environment, string? effect, string? title)
    {
        Check(application, environment, effect);
        lock (_sync)
        {
            var scripted = new ScriptedEffect(++_nextId, application!.Trim(), environment!.Trim().ToLowerInvariant(), effect!.Trim().ToLowerInvariant(), Clean(title));
            _pending.Add(scripted);
            return scripted;
        }
    }

    /// <summary>Applies an effect at once, as if a deploy had started at <paramref name="deployStarted"/> and just ended.</summary>
    public void ApplyNow(string? application, string? environment, string? effect, string? title, DateTimeOffset deployStarted, DateTimeOffset now)
    {
        Check(application, environment, effect);
        Apply(new ScriptedEffect(0, application!.Trim(), environment!.Trim().ToLowerInvariant(), effect!.Trim().ToLowerInvariant(), Clean(title)), deployStarted, now);
    }

    public IReadOnlyList<ScriptedEffect> Pending()
    {
        lock (_sync)
        {
            return _pending.ToList();
        }
    }

    public int Clear()
    {
        lock (_sync)
        {
            var count = _pending.Count + _smokeFailures.Count;
            _pending.Clear();
            _smokeFailures.Clear();
            return count;
        }
    }

    /// <summary>
    /// Deploy_App deployed <paramref name="application"/> (known by its name or deploy name) to the environment:
    /// the effects scripted for it happen now.
    /// </summary>
    public void Deployed(string application, string deployName, string environment, DateTimeOffset started, DateTimeOffset finished)
    {
        List<ScriptedEffect> due;
        lock (_sync)
        {
            due = _pending.Where(e => e.Environment.Equals(environment, StringComparison.OrdinalIgnoreCase)
                && (e.Application.Equals(application, StringComparison.OrdinalIgnoreCase) || e.Application.Equals(deployName, StringComparison.OrdinalIgnoreCase))).ToList();
            _pending.RemoveAll(due.Contains);
        }

        foreach (var effect in due)
        {
            Apply(effect with { Application = application }, started, finished);
        }
    }

    /// <summary>Whether Smokey for this application (name or deploy name) in the environment must fail, using the failure up.</summary>
    public bool TakeSmokeFailure(string application, string deployName, string environment)
    {
        lock (_sync)
        {
            return _smokeFailures.Remove((application.ToLowerInvariant(), environment.ToLowerInvariant()))
                || _smokeFailures.Remove((deployName.ToLowerInvariant(), environment.ToLowerInvariant()));
        }
    }

    private void Apply(ScriptedEffect effect, DateTimeOffset started, DateTimeOffset finished)
    {
        var app = effect.Application;
        switch (effect.Effect)
        {
            case "new-error" or "new-warning":
                _sentry.AddIssue(Project(app, started), effect.Title ?? $"NoMethodError: undefined method 'title' for nil (sandbox, after deploy {effect.Id})",
                    effect.Effect == "new-error" ? "error" : "warning", finished, finished, 7, culprit: "ApplicationController#show");
                break;
            case "regressed-error":
            {
                var issue = _sentry.AddIssue(Project(app, started), effect.Title ?? "ActiveRecord::RecordNotFound: Couldn't find Document (sandbox, fixed before)",
                    "error", started.AddDays(-20), started.AddDays(-15), 40, status: "resolved", culprit: "DocumentsController#show");
                _sentry.Regress(issue, finished, 4);
                break;
            }
            case "old-error":
            {
                var issue = _sentry.AddIssue(Project(app, started), effect.Title ?? "Timeout::Error: execution expired (sandbox, known for long)",
                    "error", started.AddDays(-30), started.AddDays(-1), 300, substatus: "ongoing", culprit: "Search#fetch");
                _sentry.SeenAgain(issue, finished, 2);
                break;
            }
            case "critical-alert" or "critical-alert-before" or "acknowledged-alert" or "downtime-alert":
                _icinga.Add(effect.Environment, new IcingaService
                {
                    HostName = $"{app}-1.{effect.Environment}.sandbox.invalid",
                    Name = $"{effect.Effect}-{effect.Id}",
                    DisplayName = effect.Title ?? $"{app} {(effect.Effect == "critical-alert-before" ? "disk space" : "high error rate")} (sandbox)",
                    Vars = new Dictionary<string, object?> { ["app"] = app, ["environment"] = effect.Environment },
                    State = 2,
                    StateType = 1,
                    Acknowledgement = effect.Effect == "acknowledged-alert" ? 1 : 0,
                    DowntimeDepth = effect.Effect == "downtime-alert" ? 1 : 0,
                    LastStateChange = effect.Effect == "critical-alert-before" ? started.AddHours(-1) : finished,
                    LastCheck = finished,
                    Output = "CRITICAL: sandbox alert",
                });
                break;
            case "smoke-failure":
                lock (_sync)
                {
                    _smokeFailures.Add((app.ToLowerInvariant(), effect.Environment));
                }

                break;
        }
    }

    private SentryProject Project(string application, DateTimeOffset started) =>
        _sentry.FindProject(application) ?? _sentry.AddProject(application, started.AddDays(-100));

    private void Check(string? application, string? environment, string? effect)
    {
        if (string.IsNullOrWhiteSpace(application))
        {
            throw new ArgumentException("'application' is required: the application's name (or deploy name).");
        }

        if (string.IsNullOrWhiteSpace(environment) || !_icinga.HasEnvironment(environment.Trim()))
        {
            throw new ArgumentException($"'environment' must be one of: {string.Join(", ", _icinga.Environments)}.");
        }

        if (string.IsNullOrWhiteSpace(effect) || !Effects.ContainsKey(effect.Trim()))
        {
            throw new ArgumentException($"'effect' must be one of: {string.Join(", ", Effects.Keys)}.");
        }
    }

    private static string? Clean(string? title) => string.IsNullOrWhiteSpace(title) ? null : title.Trim()[..Math.Min(title.Trim().Length, 200)];
}

/// <summary>One effect waiting for its deploy.</summary>
public sealed record ScriptedEffect(long Id, string Application, string Environment, string Effect, string? Title)
{
    public object ToJson() => new Dictionary<string, object?>
    {
        ["id"] = Id,
        ["application"] = Application,
        ["environment"] = Environment,
        ["effect"] = Effect,
        ["title"] = Title,
    };
}
