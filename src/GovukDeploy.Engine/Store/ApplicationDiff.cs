namespace GovukDeploy.Store;

/// <summary>Words for audit events: what an application is, and what changed in it.</summary>
public static class ApplicationDiff
{
    public static string Summary(Application application) =>
        $"{application.Name} (repository {application.Repository}, deploy name {application.DeployName}"
        + (application.Team is null ? "" : $", team {application.Team}")
        + (application.Type is null ? "" : $", type {application.Type}")
        + (application.Retired ? ", retired" : "")
        + ")";

    /// <summary>"field: old -> new; ..." for every field that differs, or null when none does.</summary>
    public static string? Describe(Application before, Application after)
    {
        var changes = new List<string>();
        void Compare(string field, string? old, string? @new)
        {
            if (!string.Equals(old, @new, StringComparison.Ordinal))
            {
                changes.Add($"{field}: {old ?? "(none)"} -> {@new ?? "(none)"}");
            }
        }
        Compare("Name", before.Name, after.Name.Trim());
        Compare("Repository", before.Repository, after.Repository);
        Compare("DeployName", before.DeployName, after.DeployName);
        Compare("Team", before.Team, after.Team);
        Compare("Type", before.Type, after.Type);
        Compare("Retired", before.Retired.ToString(), after.Retired.ToString());
        Compare("ReleaseTagPattern", before.ReleaseTagPattern, after.ReleaseTagPattern);
        return changes.Count == 0 ? null : string.Join("; ", changes);
    }
}
