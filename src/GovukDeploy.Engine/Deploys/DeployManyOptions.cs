using GovukDeploy.Deploys.Gates;

namespace GovukDeploy.Deploys;

/// <summary>How a run of deploys goes: how many run at once, and who is asked before each one starts.</summary>
public sealed record DeployManyOptions
{
    public int ThrottleLimit { get; init; } = 1;

    /// <summary>
    /// Asked once a deploy's gates have all passed (its lock is held), before it starts: false leaves the
    /// deploy out (its lock released), an error refuses it. Null asks no one (automation).
    /// </summary>
    public Func<GateEvaluation, CancellationToken, Task<bool>>? Confirm { get; init; }
}
