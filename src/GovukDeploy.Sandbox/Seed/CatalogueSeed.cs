using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace GovukDeploy.Sandbox.Seed;

/// <summary>
/// Seeds from a GOV.UK catalogue: applications.yml (github_repo_name, puppet_name) or
/// its successor repos.yml (repo_name). Unknown fields are ignored; retired apps are skipped.
/// </summary>
public static class CatalogueSeed
{
    public const int ReleasesPerApp = 3;

    public static int Apply(SeedBuilder seed, string path)
    {
        var entries = Read(path);
        var count = 0;
        foreach (var entry in entries)
        {
            var repoName = entry.GithubRepoName ?? entry.RepoName;
            if (string.IsNullOrWhiteSpace(repoName) || IsTrue(entry.Retired))
            {
                continue;
            }
            var repo = seed.App(repoName.Trim(), entry.PuppetName?.Trim(), ReleasesPerApp, entry.Description ?? "");
            if (count == 0)
            {
                // The first app gets the pull requests a demo needs.
                DefaultSeed.AddPullRequestsInEveryState(seed, repo);
            }
            count++;
        }
        if (count == 0)
        {
            throw new InvalidDataException($"The catalogue '{path}' lists no applications (expected entries with github_repo_name or repo_name).");
        }
        return count;
    }

    public static IReadOnlyList<CatalogueEntry> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The seed catalogue '{path}' does not exist.", path);
        }
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build();
        using var reader = File.OpenText(path);
        return deserializer.Deserialize<List<CatalogueEntry>?>(reader) ?? [];
    }

    private static bool IsTrue(string? value) => bool.TryParse(value, out var b) && b;
}

/// <summary>The catalogue fields the sandbox reads.</summary>
public sealed class CatalogueEntry
{
    public string? GithubRepoName { get; set; }
    public string? RepoName { get; set; }
    public string? PuppetName { get; set; }
    public string? Retired { get; set; }
    public string? Description { get; set; }
}
