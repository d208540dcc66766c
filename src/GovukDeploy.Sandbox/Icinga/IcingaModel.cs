namespace GovukDeploy.Sandbox.Icinga;

/// <summary>One Icinga 2 service (a check on a host), with the attributes the API gives.</summary>
public sealed class IcingaService
{
    public required string HostName { get; init; }
    public required string Name { get; init; }
    public required string DisplayName { get; init; }

    /// <summary>Custom variables (vars.app, vars.environment, ...).</summary>
    public Dictionary<string, object?> Vars { get; init; } = new(StringComparer.Ordinal);

    /// <summary>0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.</summary>
    public int State { get; set; }

    /// <summary>0 soft, 1 hard.</summary>
    public int StateType { get; set; } = 1;

    /// <summary>0 none, 1 normal, 2 sticky.</summary>
    public int Acknowledgement { get; set; }
    public int DowntimeDepth { get; set; }
    public DateTimeOffset LastStateChange { get; set; }
    public DateTimeOffset LastCheck { get; set; }
    public string CheckCommand { get; init; } = "check_http";
    public string Output { get; set; } = "HTTP OK: HTTP/1.1 200 OK";

    /// <summary>Icinga's object name for a service: host!service.</summary>
    public string FullName => $"{HostName}!{Name}";
}
