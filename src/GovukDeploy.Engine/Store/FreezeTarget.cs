namespace GovukDeploy.Store;

/// <summary>The freezes to lift: an application (or DeployFreeze.Global) in one environment, or in every environment when Environment is null.</summary>
public sealed record FreezeTarget(string Application, string? Environment = null);
