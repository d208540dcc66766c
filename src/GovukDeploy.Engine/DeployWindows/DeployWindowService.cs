using GovukDeploy.Configuration;
using GovukDeploy.Errors;
using GovukDeploy.Holidays;
using NodaTime;

namespace GovukDeploy.DeployWindows;

/// <summary>
/// Everything Test-DeployWindow, Get-DeployWindow and Update-BankHoliday need: the policy of each
/// environment, the bank-holiday calendar and a clock. Safe to share between threads; a refreshed
/// calendar replaces the old one in a single step.
/// </summary>
public sealed class DeployWindowService
{
    private const int MaxDays = 3660;

    private readonly IClock _clock;
    private readonly IReadOnlyDictionary<string, DeployWindowPolicy> _policies;
    private readonly BankHolidayFeedClient? _feedClient;
    private volatile State _state;

    public DeployWindowService(
        IClock clock,
        IReadOnlyDictionary<string, DeployWindowPolicy> policies,
        BankHolidayCalendar calendar,
        BankHolidayFeedClient? feedClient = null,
        EnvironmentPolicy? environments = null)
    {
        EnvironmentPolicy = environments ?? EnvironmentPolicy.Default;
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _policies = new Dictionary<string, DeployWindowPolicy>(policies ?? throw new ArgumentNullException(nameof(policies)), StringComparer.OrdinalIgnoreCase);
        _feedClient = feedClient;
        _state = new State(calendar ?? throw new ArgumentNullException(nameof(calendar)), _policies);
    }

    /// <summary>
    /// The usual wiring: GOV.UK's default policies with <paramref name="policySettings"/> overriding them per
    /// environment, and the built-in calendar overridden by the cached feed (at <paramref name="cache"/>, default
    /// the user's cache folder).
    /// </summary>
    public static DeployWindowService Create(
        IClock clock,
        IReadOnlyDictionary<string, DeployWindowPolicySettings>? policySettings = null,
        BankHolidayCache? cache = null,
        HttpClient? http = null,
        EnvironmentPolicy? environments = null)
    {
        cache ??= new BankHolidayCache();
        return new DeployWindowService(clock, DeployWindowPolicy.Build(policySettings, environments), BankHolidayCalendar.Load(cache),
            new BankHolidayFeedClient(cache, http), environments);
    }

    public IReadOnlyCollection<string> Environments => _policies.Keys.ToList();

    /// <summary>The environments in promotion order; the last is the one asked about when none is named.</summary>
    public EnvironmentPolicy EnvironmentPolicy { get; }

    public BankHolidayCalendar Calendar => _state.Calendar;

    public DeployWindowPolicy Policy(string environment) => _policies.TryGetValue(environment ?? "", out var policy)
        ? policy
        : throw UnknownEnvironment(environment);

    /// <summary>
    /// May a deploy to <paramref name="environment"/> start at <paramref name="at"/> (default now), and finish within
    /// <paramref name="duration"/>? Active freezes in <paramref name="freezes"/> for the environment (or for every
    /// environment, "*") make the answer Frozen; the caller passes the freezes that concern the application.
    /// </summary>
    public DeployWindowVerdict Test(DateTimeOffset? at, string? environment, TimeSpan? duration = null, IReadOnlyList<DeployFreeze>? freezes = null)
    {
        environment ??= EnvironmentPolicy.Last;
        var evaluator = Evaluator(environment);
        if (duration < TimeSpan.Zero)
        {
            throw ErrorCatalogue.InvalidDuration(duration);
        }
        var instant = at is { } a ? Instant.FromDateTimeOffset(CheckDate(a, "-At")) : _clock.GetCurrentInstant();
        var atOffset = at ?? instant.ToDateTimeOffset();
        return evaluator.Evaluate(instant, Policy(environment).Environment, Duration.FromTimeSpan(duration ?? TimeSpan.Zero), BlockingFreeze(freezes, environment, atOffset));
    }

    /// <summary>The deploy windows of <paramref name="environment"/> over <paramref name="days"/> days from <paramref name="from"/> (default now), in its policy's zone.</summary>
    public IReadOnlyList<DeployWindow> Windows(DateTimeOffset? from, int days, string? environment)
    {
        environment ??= EnvironmentPolicy.Last;
        var evaluator = Evaluator(environment);
        var policy = Policy(environment);
        if (days is < 1 or > MaxDays)
        {
            throw ErrorCatalogue.InvalidDayCount(days, MaxDays);
        }
        var start = from is { } f ? Instant.FromDateTimeOffset(CheckDate(f, "-From")) : _clock.GetCurrentInstant();
        if (policy.AlwaysOpen)
        {
            return [new DeployWindow { Environment = policy.Environment, Opens = evaluator.ToOffset(start), Closes = evaluator.ToOffset(start + Duration.FromDays(days)) }];
        }
        return evaluator.Windows(start, days)
            .Select(w => new DeployWindow { Environment = policy.Environment, Opens = evaluator.ToOffset(w.Opens), Closes = evaluator.ToOffset(w.Closes) })
            .ToList();
    }

    /// <summary>Fetches the feed, caches it, and uses it from now on. A bad feed changes nothing.</summary>
    public async Task<BankHolidayUpdate> RefreshHolidaysAsync(Uri? feedUri, CancellationToken cancellationToken)
    {
        var client = _feedClient ?? throw new InvalidOperationException("This DeployWindowService was built without a feed client.");
        var feed = await client.RefreshAsync(feedUri, cancellationToken).ConfigureAwait(false);
        _state = new State(new BankHolidayCalendar(feed), _policies);
        var years = feed.All.Select(h => h.Date.Year).ToList();
        return new BankHolidayUpdate
        {
            Uri = (feedUri ?? BankHolidayFeedClient.DefaultFeedUri).ToString(),
            CachePath = client.Cache.FilePath,
            FetchedAt = _clock.GetCurrentInstant().ToDateTimeOffset(),
            FirstYear = years.Min(),
            LastYear = years.Max(),
            Holidays = feed.ByDivision.ToDictionary(p => p.Key, p => p.Value.Count),
        };
    }

    /// <summary>The first and last instants a window is worked out for: the search looks years ahead and behind, which must stay inside the calendar.</summary>
    public static readonly DateTimeOffset EarliestDate = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset LatestDate = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A date the window search can work with, or DateOutOfRange naming the value (not an overflow deep inside).</summary>
    private static DateTimeOffset CheckDate(DateTimeOffset value, string parameter) =>
        value >= EarliestDate && value < LatestDate
            ? value
            : throw ErrorCatalogue.DateOutOfRange(parameter, value, EarliestDate.Year, LatestDate.Year - 1);

    private DeployWindowEvaluator Evaluator(string environment) =>
        _state.Evaluators.TryGetValue(environment ?? "", out var evaluator) ? evaluator : throw UnknownEnvironment(environment);

    /// <summary>The freeze that blocks longest: one without an end beats any with one.</summary>
    private static DeployFreeze? BlockingFreeze(IReadOnlyList<DeployFreeze>? freezes, string environment, DateTimeOffset at)
    {
        if (freezes is null)
        {
            return null;
        }
        DeployFreeze? blocking = null;
        foreach (var freeze in freezes)
        {
            if (!freeze.IsActiveAt(at)
                || !(string.Equals(freeze.Environment, environment, StringComparison.OrdinalIgnoreCase) || freeze.Environment == DeployFreeze.Global))
            {
                continue;
            }
            if (blocking is null || (blocking.Until is not null && (freeze.Until is null || freeze.Until > blocking.Until)))
            {
                blocking = freeze;
            }
        }
        return blocking;
    }

    private GovukDeployException UnknownEnvironment(string? environment) => ErrorCatalogue.UnknownEnvironment(environment, _policies.Keys.Order());

    private sealed class State
    {
        public State(BankHolidayCalendar calendar, IReadOnlyDictionary<string, DeployWindowPolicy> policies)
        {
            Calendar = calendar;
            Evaluators = policies.ToDictionary(p => p.Key, p => new DeployWindowEvaluator(p.Value, calendar), StringComparer.OrdinalIgnoreCase);
        }

        public BankHolidayCalendar Calendar { get; }
        public Dictionary<string, DeployWindowEvaluator> Evaluators { get; }
    }
}
