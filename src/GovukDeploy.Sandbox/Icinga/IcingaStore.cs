namespace GovukDeploy.Sandbox.Icinga;

/// <summary>One Icinga 2 per environment, each with its services. One lock guards them all.</summary>
public sealed class IcingaStore
{
    private readonly Dictionary<string, List<IcingaService>> _services = new(StringComparer.OrdinalIgnoreCase);

    public IcingaStore(IEnumerable<string> environments)
    {
        foreach (var environment in environments)
        {
            _services[environment] = [];
        }
    }

    public object Sync { get; } = new();

    public IReadOnlyCollection<string> Environments => _services.Keys;

    public bool HasEnvironment(string environment) => _services.ContainsKey(environment);

    /// <summary>Adds a service, replacing one of the same host and name.</summary>
    public IcingaService Add(string environment, IcingaService service)
    {
        lock (Sync)
        {
            var services = _services[environment];
            services.RemoveAll(s => s.FullName == service.FullName);
            services.Add(service);
            return service;
        }
    }

    public IReadOnlyList<IcingaService> Services(string environment)
    {
        lock (Sync)
        {
            return _services.TryGetValue(environment, out var services) ? services.ToList() : [];
        }
    }

    /// <summary>The service's attributes as the API names them, for filters and answers.</summary>
    public static Dictionary<string, object?> Attributes(IcingaService service) => new(StringComparer.Ordinal)
    {
        ["__name"] = service.FullName,
        ["name"] = service.Name,
        ["display_name"] = service.DisplayName,
        ["host_name"] = service.HostName,
        ["check_command"] = service.CheckCommand,
        ["vars"] = service.Vars,
        ["state"] = service.State,
        ["state_type"] = service.StateType,
        ["acknowledgement"] = service.Acknowledgement,
        ["downtime_depth"] = service.DowntimeDepth,
        ["last_state_change"] = Seconds(service.LastStateChange),
        ["last_hard_state_change"] = Seconds(service.LastStateChange),
        ["last_check"] = Seconds(service.LastCheck),
        ["last_check_result"] = new Dictionary<string, object?>
        {
            ["output"] = service.Output,
            ["state"] = service.State,
            ["exit_status"] = service.State,
        },
        ["enable_notifications"] = true,
        ["type"] = "Service",
    };

    /// <summary>Icinga writes times as Unix seconds with a fraction.</summary>
    public static double Seconds(DateTimeOffset value) => Math.Round(value.ToUnixTimeMilliseconds() / 1000d, 6);
}
