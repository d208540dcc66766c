using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace GovukDeploy;

[JsonConverter(typeof(StringEnumConverter))]
public enum DeployWindowReason
{
    Open,
    Weekend,
    BankHoliday,
    BeforeOpening,
    AfterClosing,
    Frozen,
    FinishesAfterClosing,
    ClosedDay,
}

/// <summary>Whether a deploy may start at an instant, and why not.</summary>
public sealed class DeployWindowVerdict
{
    public bool Allowed { get; init; }
    public DeployWindowReason Reason { get; init; }

    /// <summary>Human detail: the holiday's name, the freeze, the time the window closes.</summary>
    public string? Detail { get; init; }
    public DateTimeOffset At { get; init; }
    public required string Environment { get; init; }

    /// <summary>When the window that is open at At closes (null when none is open or the environment is always open).</summary>
    public DateTimeOffset? WindowCloses { get; init; }

    /// <summary>When the next window opens (null when the environment is always open).</summary>
    public DateTimeOffset? NextOpening { get; init; }

    /// <summary>The next opening in words, with why the days before it are closed.</summary>
    public string? NextOpeningDetail { get; init; }

    /// <summary>The freeze that blocks the deploy, when Reason is Frozen.</summary>
    public DeployFreeze? Freeze { get; init; }
}
