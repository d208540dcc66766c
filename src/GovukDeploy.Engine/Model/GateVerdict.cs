using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace GovukDeploy;

[JsonConverter(typeof(StringEnumConverter))]
public enum GateOutcome
{
    Passed,
    Failed,
    Overridden,
    Warning,
    Skipped,

    /// <summary>The gate could not learn what it needs (a source unreachable): it refuses, as Failed does.</summary>
    Unknown,
}

/// <summary>The verdict of one pre-deploy gate (release exists, promotion order, freeze, window, ...).</summary>
public sealed class GateVerdict
{
    public required string Gate { get; init; }
    public GateOutcome Outcome { get; init; }
    public required string Detail { get; init; }
    public override string ToString() => $"{Gate}: {Outcome}";

    /// <summary>Whether this verdict stops the deploy: a gate that failed, or one that could not tell.</summary>
    public bool Refuses => Outcome is GateOutcome.Failed or GateOutcome.Unknown;
}
