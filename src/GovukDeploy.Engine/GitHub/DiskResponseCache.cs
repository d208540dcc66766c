using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GovukDeploy.Platform;
using Octokit.Caching;
using Octokit.Internal;

namespace GovukDeploy.GitHub;

/// <summary>
/// Octokit's response cache, kept on disk so that ETags survive between sessions: Octokit's
/// CachingHttpClient sends If-None-Match with a cached ETag and serves the cached body on 304.
/// Only 200 answers that carry an ETag are kept. Keys are hashes of the request's address and
/// Accept header, never of its Authorization header; each token gets its own folder, named by a
/// one-way hash of it, because GitHub's answers vary with who asks. Files hold no token.
/// </summary>
internal sealed class DiskResponseCache : IResponseCache
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    private readonly string _directory;

    public DiskResponseCache(string rootDirectory, Uri apiBase, string? token)
    {
        // One folder per server and identity, so two tokens (or two servers) never share answers.
        var partition = Hash("identity\n" + apiBase + "\n" + (token ?? "anonymous"))[..24];
        _directory = Path.Combine(rootDirectory, partition);
    }

    public string Directory => _directory;

    /// <summary>Entries unused for this long are deleted when a connection starts, so the cache cannot grow without bound.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(30);

    /// <summary>Best effort: deletes entries (of any identity) not written for <see cref="MaxAge"/>.</summary>
    public static void Prune(string rootDirectory, DateTime utcNow)
    {
        try
        {
            if (!System.IO.Directory.Exists(rootDirectory))
            {
                return;
            }
            foreach (var file in System.IO.Directory.EnumerateFiles(rootDirectory, "*", SearchOption.AllDirectories))
            {
                if (utcNow - File.GetLastWriteTimeUtc(file) > MaxAge)
                {
                    File.Delete(file);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    public Task<CachedResponse.V1> GetAsync(IRequest request)
    {
        var path = PathFor(request);
        if (!File.Exists(path))
        {
            return Task.FromResult<CachedResponse.V1>(null!);
        }
        try
        {
            var entry = JsonSerializer.Deserialize<Entry>(File.ReadAllText(path), Json);
            if (entry?.Headers is null || entry.Body is null)
            {
                return Task.FromResult<CachedResponse.V1>(null!);
            }
            Touch(path);
            return Task.FromResult(new CachedResponse.V1(entry.Body, entry.Headers, null!, (HttpStatusCode)entry.Status, entry.ContentType!));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            // A damaged or locked entry is a miss, not a failure.
            return Task.FromResult<CachedResponse.V1>(null!);
        }
    }

    public Task SetAsync(IRequest request, CachedResponse.V1 response)
    {
        // Written synchronously: Octokit does not await this call, and the next identical request
        // should already find the entry.
        if (response.StatusCode != HttpStatusCode.OK || response.Body is not string body || GitHubHttpClient.Header(response, "ETag") is null)
        {
            return Task.CompletedTask;
        }
        try
        {
            System.IO.Directory.CreateDirectory(_directory);
            var path = PathFor(request);
            var headers = response.Headers
                .Where(h => !h.Key.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
            var entry = new Entry { Status = (int)response.StatusCode, ContentType = response.ContentType, Headers = headers, Body = body };
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(entry, Json));
            PlatformPaths.RestrictToOwner(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The cache is an optimisation; a full disk must not fail the query.
        }
        return Task.CompletedTask;
    }

    /// <summary>An entry still in use is not pruned.</summary>
    private static void Touch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private string PathFor(IRequest request) => Path.Combine(_directory, Key(request) + ".json");

    /// <summary>The request's full address (with its query) and Accept header; headers that identify the caller stay out.</summary>
    internal static string Key(IRequest request)
    {
        var text = new StringBuilder();
        var address = request.Endpoint.IsAbsoluteUri ? request.Endpoint : new Uri(request.BaseAddress, request.Endpoint);
        text.Append(address.AbsoluteUri).Append('\n');
        foreach (var parameter in request.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(parameter.Key).Append('=').Append(parameter.Value).Append('\n');
        }
        if (request.Headers.TryGetValue("Accept", out var accept))
        {
            text.Append("accept=").Append(accept);
        }
        return Hash(text.ToString())[..40];
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    private sealed class Entry
    {
        public int Status { get; set; }
        public string? ContentType { get; set; }
        public Dictionary<string, string>? Headers { get; set; }
        public string? Body { get; set; }
    }
}
