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

    /// <summary>-WhatIf: the application this verdict is about, so that several deploys' gates can be told apart.</summary>
    public string? Application { get; init; }

    /// <summary>-WhatIf: the environment the deploy would go to.</summary>
    public string? Environment { get; init; }

    /// <summary>-WhatIf: the release (or branch) the deploy would ship.</summary>
    public string? Release { get; init; }

    /// <summary>
    /// -WhatIf: what the deploy would do, the same on each of its verdicts: "would deploy" only when every gate
    /// passes, else "would be refused: " and the first gate that refuses.
    /// </summary>
    public string? Decision { get; init; }

    /// <summary>This verdict, marked with the deploy it is about and what that deploy would do.</summary>
    public GateVerdict About(string application, string environment, string release, string decision) => new()
    {
        Gate = Gate,
        Outcome = Outcome,
        Detail = Detail,
        Application = application,
        Environment = environment,
        Release = release,
        Decision = decision,
    };

    /// <summary>What a deploy with these verdicts would do (see <see cref="Decision"/>).</summary>
    public static string DecisionFor(IEnumerable<GateVerdict> verdicts) =>
        verdicts.FirstOrDefault(v => v.Refuses) is { } refusing ? "would be refused: " + refusing.Gate : "would deploy";

    /// <summary>Whether this verdict stops the deploy: a gate that failed, or one that could not tell.</summary>
    public bool Refuses => Outcome is GateOutcome.Failed or GateOutcome.Unknown;
}
