namespace GovukDeploy.Sandbox.Faults;

/// <summary>The faults currently injected, by service (github, jenkins, release, holidays, sentry, icinga).</summary>
public sealed class FaultBoard
{
    public static readonly string[] Services = ["github", "jenkins", "release", "holidays", "sentry", "icinga"];

    /// <summary>Which kinds make sense for which services ("*" = any service).</summary>
    private static readonly Dictionary<string, string> KindServices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["latency"] = "*",
        ["errors"] = "*",
        ["drop"] = "*",
        ["down"] = "*",
        ["primary-rate-limit"] = "github",
        ["secondary-rate-limit"] = "github",
        ["crumb-expiry"] = "jenkins",
        ["deploy-fail"] = "jenkins",
        ["deploy-hang"] = "jenkins",
        ["deploy-abort"] = "jenkins",
        ["queue-cancel"] = "jenkins",
        ["smokey-fail"] = "jenkins",
    };

    private readonly object _sync = new();
    private readonly List<Fault> _faults = [];
    private readonly TimeProvider _clock;
    private long _nextId;

    public FaultBoard(TimeProvider clock) => _clock = clock;

    public static IEnumerable<string> Kinds => KindServices.Keys;

    /// <summary>Checks and records a fault; throws ArgumentException with a message fit for the caller.</summary>
    public Fault Add(FaultRequest request)
    {
        var service = request.Service?.Trim().ToLowerInvariant();
        var kind = request.Kind?.Trim().ToLowerInvariant();
        if (service is null || !Services.Contains(service))
        {
            throw new ArgumentException($"'service' must be one of: {string.Join(", ", Services)}.");
        }
        if (kind is null || !KindServices.TryGetValue(kind, out var allowed))
        {
            throw new ArgumentException($"'kind' must be one of: {string.Join(", ", KindServices.Keys)}.");
        }
        if (allowed != "*" && allowed != service)
        {
            throw new ArgumentException($"A '{kind}' fault applies to the {allowed} service, not to {service}.");
        }
        if (request.Count is < 1)
        {
            throw new ArgumentException("'count' must be 1 or more (leave it out for a fault that lasts until cleared).");
        }
        if (kind == "latency" && request.Ms is not (>= 1 and <= 120_000))
        {
            throw new ArgumentException("A latency fault needs 'ms' from 1 to 120000.");
        }
        if (kind == "secondary-rate-limit" && request.Status is not (null or 403 or 429))
        {
            throw new ArgumentException("A secondary rate limit answers 403 or 429.");
        }
        if (kind == "errors" && request.Status is not null && request.Status is < 500 or > 599)
        {
            throw new ArgumentException("An 'errors' fault answers with a 5xx status.");
        }

        var now = _clock.GetUtcNow();
        int? remaining = kind switch
        {
            "latency" or "down" => request.Count,
            "primary-rate-limit" => null,
            _ => request.Count ?? 1,
        };
        var fault = new Fault
        {
            Id = Interlocked.Increment(ref _nextId),
            Service = service,
            Kind = kind,
            Remaining = remaining,
            Milliseconds = request.Ms,
            Status = kind switch
            {
                "errors" => request.Status ?? 503,
                "secondary-rate-limit" => request.Status ?? 403,
                "down" => 503,
                _ => null,
            },
            RetryAfterSeconds = kind == "secondary-rate-limit" ? request.RetryAfterSeconds ?? 60 : null,
            Until = kind == "primary-rate-limit" ? now.AddSeconds(request.ResetSeconds ?? 60) : null,
            Environment = string.IsNullOrWhiteSpace(request.Environment) ? null : request.Environment.Trim().ToLowerInvariant(),
            CreatedAt = now,
        };

        if (kind != "crumb-expiry")
        {
            lock (_sync)
            {
                _faults.Add(fault);
            }
        }
        return fault;
    }

    public int Clear(string? service)
    {
        lock (_sync)
        {
            return _faults.RemoveAll(f => service is null || f.Service.Equals(service, StringComparison.OrdinalIgnoreCase));
        }
    }

    public IReadOnlyList<Fault> List()
    {
        lock (_sync)
        {
            Expire();
            return _faults.ToList();
        }
    }

    /// <summary>The fault of that kind in force for the service, without using it up.</summary>
    public Fault? Peek(string service, string kind, string? environment = null)
    {
        lock (_sync)
        {
            Expire();
            return _faults.FirstOrDefault(f => Matches(f, service, kind, environment));
        }
    }

    /// <summary>Uses one unit of the first matching fault.</summary>
    public Fault? Take(string service, string kind, string? environment = null)
    {
        lock (_sync)
        {
            Expire();
            var fault = _faults.FirstOrDefault(f => Matches(f, service, kind, environment));
            if (fault?.Remaining is { } n)
            {
                fault.Remaining = n - 1;
                if (n - 1 <= 0)
                {
                    _faults.Remove(fault);
                }
            }
            return fault;
        }
    }

    private static bool Matches(Fault f, string service, string kind, string? environment) =>
        f.Service == service && f.Kind == kind &&
        (f.Environment is null || environment is null || f.Environment.Equals(environment, StringComparison.OrdinalIgnoreCase));

    private void Expire()
    {
        var now = _clock.GetUtcNow();
        _faults.RemoveAll(f => f.Until is { } until && until <= now);
    }
}
