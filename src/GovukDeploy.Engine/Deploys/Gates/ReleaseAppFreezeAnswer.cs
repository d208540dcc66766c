namespace GovukDeploy.Deploys.Gates;

/// <summary>The Release app's word on a freeze: frozen or not, or unknown (it could not be asked), which fails the gate.</summary>
public sealed record ReleaseAppFreezeAnswer(bool? Frozen, string Detail)
{
    public static ReleaseAppFreezeAnswer Unknown(string why) => new(null, why);
}
