namespace GovukDeploy.Deploys.Gates;

public enum GateMode
{
    /// <summary>Stop at the first failing gate with its error; take the deploy lock; audit overrides.</summary>
    Enforce,

    /// <summary>Evaluate every gate and change nothing (-WhatIf).</summary>
    WhatIf,
}
