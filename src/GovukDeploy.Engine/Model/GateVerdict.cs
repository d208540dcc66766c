namespace GovukDeploy;

public enum GateOutcome
{
    Passed,
    Failed,
    Overridden,
    Warning,
    Skipped,
}

/// <summary>The verdict of one pre-deploy gate (release exists, promotion order, freeze, window, ...).</summary>
public sealed class GateVerdict
{
    public required string Gate { get; init; }
    public GateOutcome Outcome { get; init; }
    public required string Detail { get; init; }
    public override string ToString() => $"{Gate}: {Outcome}";
}
