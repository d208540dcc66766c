namespace GovukDeploy.Deploys.Gates;

/// <summary>The gates, in the order they are evaluated.</summary>
public static class GateNames
{
    public const string Release = "Release";
    public const string PromotionOrder = "PromotionOrder";
    public const string Freeze = "Freeze";
    public const string Window = "Window";
    public const string OtherChanges = "OtherChanges";
    public const string DeployLock = "DeployLock";

    /// <summary>Confidential deploys only: the repository must be private (a published release may go out with a warning).</summary>
    public const string Confidential = "Confidential";

    /// <summary>Every deploy's gates, in order.</summary>
    public static readonly IReadOnlyList<string> InOrder = [Release, PromotionOrder, Freeze, Window, OtherChanges, DeployLock];

    /// <summary>The gates of a deploy, in order: a confidential one's Confidential gate comes straight after Release.</summary>
    public static IReadOnlyList<string> For(bool confidential) => confidential ? [InOrder[0], Confidential, .. InOrder.Skip(1)] : InOrder;
}
