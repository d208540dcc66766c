namespace GovukDeploy.Sandbox.Tests;

/// <summary>The workspace's reference data (../shared/data beside the repository), which may be absent.</summary>
internal static class SharedData
{
    public static string? Folder { get; } = Find();

    /// <summary>The full path of a reference file; only for tests marked [SharedDataFact], which are skipped without it.</summary>
    public static string File(string name) =>
        Path.Combine(Folder ?? throw new InvalidOperationException("The shared reference data folder is absent: mark the test [SharedDataFact]."), name);

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "GovukDeploy.slnx")))
            {
                var data = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                return Directory.Exists(data) ? data : null;
            }
        }
        return null;
    }
}

/// <summary>A fact that reads the shared reference data: reported as skipped, saying why, when the folder is absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Folder is null)
        {
            Skip = "The shared reference data folder (../shared/data) is not present.";
        }
    }
}

/// <summary>A fact about Unix behaviour (signals): reported as skipped on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Skip = "Unix only: SIGTERM is a Unix signal.";
        }
    }
}
