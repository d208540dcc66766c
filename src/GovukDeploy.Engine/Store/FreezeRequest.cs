namespace GovukDeploy.Store;

/// <summary>One freeze to set: an application (or DeployFreeze.Global) in one environment.</summary>
public sealed record FreezeRequest(string Application, string Environment, string Reason, string Contact, DateTimeOffset? Until = null);
