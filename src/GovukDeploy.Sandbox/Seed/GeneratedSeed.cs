using System.Globalization;

namespace GovukDeploy.Sandbox.Seed;

/// <summary>
/// Many plain applications for benchmarks (--generated-apps N): app-001, app-002, ... with
/// four or five releases each, so that their Deploy_App histories come to about ten builds
/// an application across Integration, Staging and Production.
/// </summary>
public static class GeneratedSeed
{
    public static void Apply(SeedBuilder seed, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            // 4 releases give 4 + 3 + 2 builds, 5 give 4 + 4 + 3: ten an app on average.
            seed.App(Name(i, count), null, 4 + i % 2, $"Generated application {i} of {count} (sandbox)");
        }
    }

    /// <summary>The name of the <paramref name="index"/>th of <paramref name="count"/> generated apps (1-based): app-001.</summary>
    public static string Name(int index, int count) =>
        "app-" + index.ToString(CultureInfo.InvariantCulture).PadLeft(Math.Max(3, count.ToString(CultureInfo.InvariantCulture).Length), '0');
}
