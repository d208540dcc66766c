using GovukDeploy.Errors;
using GovukDeploy.Reporting;
using Octokit;

namespace GovukDeploy.GitHub;

/// <summary>
/// Says which environments have a release as their latest successful deploy; the caller answers
/// from its store, so the GitHub side needs no store of its own.
/// </summary>
public delegate string[] DeployedToLookup(Application application, string tag);

/// <summary>A release tag and its number, without its commit.</summary>
public sealed record ReleaseTag(string Tag, long Number);

/// <summary>Get-Release: an application's release tags, newest (highest number or version) first.</summary>
public sealed class GitHubReleases
{
    private readonly GitHubConnection _connection;

    internal GitHubReleases(GitHubConnection connection) => _connection = connection;

    /// <summary>
    /// Releases newest first: all of them, the first <paramref name="first"/>, or the one named
    /// <paramref name="tag"/> (ReleaseNotFound when it does not exist).
    /// </summary>
    public Task<IReadOnlyList<Release>> GetAsync(Application application, int? first = null, string? tag = null,
        DeployedToLookup? deployedTo = null, IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        if (first is < 1)
        {
            throw ErrorCatalogue.InvalidFirst(first);
        }
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync<IReadOnlyList<Release>>(application.Repository, reporter, cancellationToken, async () =>
        {
            var pattern = ReleaseTagPattern.Parse(application.ReleaseTagPattern);
            if (tag is not null)
            {
                return [await GetTagAsync(application, owner, name, pattern, tag, deployedTo).ConfigureAwait(false)];
            }

            var tags = await ListTagsAsync(owner, name, pattern).ConfigureAwait(false);
            IEnumerable<(string Tag, long Number)> wanted = tags;
            if (first is { } n)
            {
                wanted = wanted.Take(n);
            }
            // Commits are fetched side by side; the connection bounds how many are in flight.
            var releases = await Task.WhenAll(wanted.Select(t => ReadAsync(application, owner, name, t.Tag, t.Number, deployedTo))).ConfigureAwait(false);
            return releases;
        });
    }

    /// <summary>The newest release, or null when the application has none. Reads the tags and then one commit only.</summary>
    public Task<Release?> GetLatestAsync(Application application, DeployedToLookup? deployedTo = null,
        IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync(application.Repository, reporter, cancellationToken, async () =>
        {
            var pattern = ReleaseTagPattern.Parse(application.ReleaseTagPattern);
            var tags = await ListTagsAsync(owner, name, pattern).ConfigureAwait(false);
            return tags.Count == 0 ? null : await ReadAsync(application, owner, name, tags[0].Tag, tags[0].Number, deployedTo).ConfigureAwait(false);
        });
    }

    /// <summary>The latest release of each application, a bounded number of applications at a time, each result as it arrives.</summary>
    public IAsyncEnumerable<GitHubBatchResult<Release?>> GetLatestManyAsync(IEnumerable<Application> applications,
        DeployedToLookup? deployedTo = null, IOperationReporter? reporter = null, CancellationToken cancellationToken = default) =>
        GitHubBatch.RunAsync(applications, _connection.Options.ThrottleLimit,
            (app, ct) => GetLatestAsync(app, deployedTo, reporter, ct), cancellationToken, reporter, "Reading the latest releases");

    /// <summary>Releases of each application (as <see cref="GetAsync"/>), a bounded number of applications at a time.</summary>
    public IAsyncEnumerable<GitHubBatchResult<IReadOnlyList<Release>>> GetManyAsync(IEnumerable<Application> applications,
        int? first = null, string? tag = null, DeployedToLookup? deployedTo = null, IOperationReporter? reporter = null,
        CancellationToken cancellationToken = default) =>
        GitHubBatch.RunAsync(applications, _connection.Options.ThrottleLimit,
            (app, ct) => GetAsync(app, first, tag, deployedTo, reporter, ct), cancellationToken, reporter, "Reading releases");

    /// <summary>
    /// Every release tag and its number, newest first, without reading any commit: one request (or a
    /// few pages). Enough for Get-DeployStatus to count how many releases an environment is behind.
    /// </summary>
    public Task<IReadOnlyList<ReleaseTag>> ListReleaseTagsAsync(Application application, IOperationReporter? reporter = null,
        CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync<IReadOnlyList<ReleaseTag>>(application.Repository, reporter, cancellationToken, async () =>
            (await ListTagsAsync(owner, name, ReleaseTagPattern.Parse(application.ReleaseTagPattern)).ConfigureAwait(false))
                .Select(t => new ReleaseTag(t.Tag, t.Number)).ToList());
    }

    /// <summary>Release tags with the object each points at (the commit, for lightweight tags), newest first.</summary>
    public Task<IReadOnlyList<(string Tag, string Sha)>> ListReleaseTagShasAsync(Application application, IOperationReporter? reporter = null,
        CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        var pattern = ReleaseTagPattern.Parse(application.ReleaseTagPattern);
        return _connection.RunAsync<IReadOnlyList<(string Tag, string Sha)>>(application.Repository, reporter, cancellationToken, async () =>
        {
            var api = new ApiConnection(_connection.Client.Connection);
            var uri = new Uri($"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}/git/matching-refs/tags/{Uri.EscapeDataString(pattern.Prefix)}", UriKind.Relative);
            var refs = await api.GetAll<Reference>(uri, new ApiOptions { PageSize = 100 }).ConfigureAwait(false);
            return refs.Select(r => (Tag: r.Ref.StartsWith("refs/tags/", StringComparison.Ordinal) ? r.Ref["refs/tags/".Length..] : r.Ref, Sha: r.Object?.Sha ?? ""))
                .Where(t => pattern.IsRelease(t.Tag))
                .OrderBy(t => t.Tag, pattern.NewestFirst)
                .ToList();
        });
    }

    /// <summary>How many releases are newer than <paramref name="deployedTag"/> in a newest-first list; null when the tag is not in it.</summary>
    public static int? ReleasesBehind(IReadOnlyList<ReleaseTag> newestFirst, string deployedTag)
    {
        for (var i = 0; i < newestFirst.Count; i++)
        {
            if (newestFirst[i].Tag == deployedTag)
            {
                return i;
            }
        }
        return null;
    }

    /// <summary>Release tags, newest first, from one listing of the refs under the pattern's prefix.</summary>
    internal async Task<List<(string Tag, long Number)>> ListTagsAsync(string owner, string name, ReleaseTagPattern pattern)
    {
        var api = new ApiConnection(_connection.Client.Connection);
        // matching-refs answers [] (not 404) when nothing matches, and filters by prefix on the server.
        var uri = new Uri($"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}/git/matching-refs/tags/{Uri.EscapeDataString(pattern.Prefix)}", UriKind.Relative);
        IEnumerable<string> names;
        try
        {
            var refs = await api.GetAll<Reference>(uri, new ApiOptions { PageSize = 100 }).ConfigureAwait(false);
            names = refs.Select(r => r.Ref.StartsWith("refs/tags/", StringComparison.Ordinal) ? r.Ref["refs/tags/".Length..] : r.Ref);
        }
        catch (NotFoundException)
        {
            // Servers without matching-refs (older GitHub Enterprise) answer 404 for it: list every tag
            // instead, which also answers 404 when it is the repository that is missing.
            var tags = await _connection.Client.Repository.GetAllTags(owner, name, new ApiOptions { PageSize = 100 }).ConfigureAwait(false);
            names = tags.Select(t => t.Name);
        }
        // A version tag (v1.12.0) has no release number: its Number is 0 and its place is its version's.
        var releases = names
            .Where(pattern.IsRelease)
            .OrderBy(t => t, pattern.NewestFirst)
            .Select(t => (Tag: t, Number: pattern.NumberOf(t) ?? 0))
            .ToList();
        ReleaseTagMemory.Remember(_connection.CacheDirectory, $"{owner}/{name}", pattern.Text, releases.Select(t => t.Tag));
        return releases;
    }

    private async Task<Release> GetTagAsync(Application application, string owner, string name, ReleaseTagPattern pattern, string tag, DeployedToLookup? deployedTo)
    {
        if (!pattern.IsRelease(tag))
        {
            throw ErrorCatalogue.ReleaseNotFound(application, tag, $"It does not match the application's release tag pattern '{pattern}'.");
        }
        var number = pattern.NumberOf(tag) ?? 0;
        try
        {
            return await ReadAsync(application, owner, name, tag, number, deployedTo).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.UnprocessableEntity)
        {
            // Either the tag or the whole repository is missing; only the second is a RepositoryNotFound.
            await _connection.Client.Repository.Get(owner, name).ConfigureAwait(false);
            throw ErrorCatalogue.ReleaseNotFound(application, tag, "GitHub has no such tag.");
        }
    }

    private async Task<Release> ReadAsync(Application application, string owner, string name, string tag, long number, DeployedToLookup? deployedTo)
    {
        // commits/{tag} peels annotated tags to their commit in one request.
        var commit = await _connection.Client.Repository.Commit.Get(owner, name, GitHubPath.Reference(tag)).ConfigureAwait(false);
        return new Release
        {
            Application = application.Name,
            Tag = tag,
            Number = number,
            Sha = commit.Sha,
            Date = commit.Commit?.Author?.Date,
            Author = commit.Author?.Login ?? commit.Commit?.Author?.Name,
            Message = FirstLine(commit.Commit?.Message),
            DeployedTo = deployedTo?.Invoke(application, tag) ?? [],
        };
    }

    internal static string? FirstLine(string? message)
    {
        if (message is null)
        {
            return null;
        }
        var end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).Trim();
    }
}
