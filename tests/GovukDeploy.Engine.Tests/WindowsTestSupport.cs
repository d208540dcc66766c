namespace GovukDeploy.Tests;

/// <summary>Finds the shared reference data (../shared/data beside the repository), which may be absent.</summary>
internal static class ReferenceData
{
    public static string? Directory { get; } = Find();

    public static string BankHolidaysFile => File("bank-holidays.json");

    /// <summary>The full path of a reference file; only for tests marked [ReferenceDataFact] or [ReferenceDataTheory], which are skipped without it.</summary>
    public static string File(string name) =>
        Path.Combine(Directory ?? throw new InvalidOperationException("The shared reference data folder is absent: mark the test [ReferenceDataFact]."), name);

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
            {
                var data = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                return System.IO.Directory.Exists(data) ? data : null;
            }
        }
        return null;
    }
}

/// <summary>A fact that is skipped, saying why, when the reference data folder is absent.</summary>
public sealed class ReferenceDataFactAttribute : FactAttribute
{
    public ReferenceDataFactAttribute()
    {
        if (ReferenceData.Directory is null)
        {
            Skip = "The shared reference data folder (../shared/data) is not present.";
        }
    }
}

/// <summary>A theory that is skipped, saying why, when the reference data folder is absent.</summary>
public sealed class ReferenceDataTheoryAttribute : TheoryAttribute
{
    public ReferenceDataTheoryAttribute()
    {
        if (ReferenceData.Directory is null)
        {
            Skip = "The shared reference data folder (../shared/data) is not present.";
        }
    }
}
