using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GovukDeploy.GitHub;

/// <summary>
/// The release tags last listed for a repository and tag pattern, kept beside the response cache (in the
/// same per-server, per-identity folder), so that tab completion can offer them offline and at once.
/// Best effort both ways: a tag list that cannot be written or read is simply not offered; it never
/// decides anything (a deploy always reads GitHub).
/// </summary>
internal static class ReleaseTagMemory
{
    /// <summary>Enough for completion; a repository with thousands of tags offers the newest.</summary>
    private const int MaxTags = 500;

    public static void Remember(string? cacheDirectory, string repository, string pattern, IEnumerable<string> tagsNewestFirst)
    {
        if (cacheDirectory is null)
        {
            return;
        }
        try
        {
            var path = PathFor(cacheDirectory, repository, pattern);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + "." + Environment.ProcessId + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(tagsNewestFirst.Take(MaxTags).ToArray()));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    public static IReadOnlyList<string> Recall(string? cacheDirectory, string repository, string pattern)
    {
        if (cacheDirectory is null)
        {
            return [];
        }
        try
        {
            var path = PathFor(cacheDirectory, repository, pattern);
            if (!File.Exists(path) || new FileInfo(path).Length > 1_000_000)
            {
                return [];
            }
            return JsonSerializer.Deserialize<string[]>(File.ReadAllText(path)) is { } tags ? tags.Take(MaxTags).ToArray() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return [];
        }
    }

    private static string PathFor(string cacheDirectory, string repository, string pattern)
    {
        // Names are hashed: a repository name never becomes a path.
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(repository.ToLowerInvariant() + "\n" + pattern)))[..32].ToLowerInvariant();
        return Path.Combine(cacheDirectory, "release-tags", key + ".json");
    }
}
