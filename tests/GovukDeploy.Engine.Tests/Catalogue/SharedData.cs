namespace GovukDeploy.Tests.Catalogue;

/// <summary>The workspace's reference data (../shared/data beside the repository), when it is there.</summary>
internal static class SharedData
{
    public static string? Folder { get; } = Find();

    public static string? File(string name) => Folder is null ? null : Path.Combine(Folder, name);

    private static string? Find()
    {
        // Walk up from the test binaries to the repository root, then look beside it.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
            {
                var data = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                return Directory.Exists(data) ? data : null;
            }
        }
        return null;
    }
}
