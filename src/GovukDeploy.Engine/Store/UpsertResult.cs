namespace GovukDeploy.Store;

/// <summary>What an upsert of many applications did.</summary>
public sealed record UpsertResult(int Added, int Changed, int Unchanged);
