using GovukDeploy.Reporting;
using Octokit;

namespace GovukDeploy.GitHub;

/// <summary>Whether a tag or branch exists, for the release gate of a deploy.</summary>
public sealed class GitHubRefs
{
    private readonly GitHubConnection _connection;

    internal GitHubRefs(GitHubConnection connection) => _connection = connection;

    public Task<bool> TagExistsAsync(Application application, string tag, IOperationReporter? reporter = null, CancellationToken cancellationToken = default) =>
        ExistsAsync(application, "tags/" + tag, reporter, cancellationToken);

    public Task<bool> BranchExistsAsync(Application application, string branch, IOperationReporter? reporter = null, CancellationToken cancellationToken = default) =>
        ExistsAsync(application, "heads/" + branch, reporter, cancellationToken);

    /// <summary>The commit a branch points at, or null when the repository has no such branch.</summary>
    public Task<string?> BranchHeadAsync(Application application, string branch, IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync(application.Repository, reporter, cancellationToken, async () =>
        {
            try
            {
                var found = await _connection.Client.Git.Reference.Get(owner, name, GitHubPath.Reference("heads/" + branch)).ConfigureAwait(false);
                return string.Equals(found.Ref, "refs/heads/" + branch, StringComparison.Ordinal) ? found.Object?.Sha : null;
            }
            catch (NotFoundException)
            {
                return (string?)null;
            }
        });
    }

    /// <summary>The branch GOV.UK's deploy moves in each repository on every successful deploy.</summary>
    public const string DeployedToPrefix = "deployed-to-";

    /// <summary>
    /// Where each deployed-to-ENVIRONMENT branch points (environment name to commit SHA), from one
    /// listing of the refs under that prefix; empty when the repository has none.
    /// </summary>
    public Task<IReadOnlyDictionary<string, string>> DeployedToBranchesAsync(Application application, IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync<IReadOnlyDictionary<string, string>>(application.Repository, reporter, cancellationToken, async () =>
        {
            var api = new ApiConnection(_connection.Client.Connection);
            var uri = new Uri($"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}/git/matching-refs/heads/{DeployedToPrefix}", UriKind.Relative);
            var refs = await api.GetAll<Reference>(uri, new ApiOptions { PageSize = 100 }).ConfigureAwait(false);
            const string heads = "refs/heads/" + DeployedToPrefix;
            return refs.Where(r => r.Ref.StartsWith(heads, StringComparison.Ordinal) && r.Object?.Sha is { Length: > 0 })
                .ToDictionary(r => r.Ref[heads.Length..], r => r.Object.Sha, StringComparer.OrdinalIgnoreCase);
        });
    }

    /// <summary>The commit a tag (or any ref) points at, annotated tags peeled.</summary>
    public Task<string> CommitOfAsync(Application application, string reference, IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync(application.Repository, reporter, cancellationToken, async () =>
            (await _connection.Client.Repository.Commit.Get(owner, name, GitHubPath.Reference(reference)).ConfigureAwait(false)).Sha);
    }

    private Task<bool> ExistsAsync(Application application, string reference, IOperationReporter? reporter, CancellationToken cancellationToken)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync(application.Repository, reporter, cancellationToken, async () =>
        {
            try
            {
                var found = await _connection.Client.Git.Reference.Get(owner, name, GitHubPath.Reference(reference)).ConfigureAwait(false);
                // GitHub answers a prefix with the refs under it; only an exact name counts.
                return string.Equals(found.Ref, "refs/" + reference, StringComparison.Ordinal);
            }
            catch (NotFoundException)
            {
                // A missing ref, in a repository that exists (a missing repository fails elsewhere first).
                return false;
            }
        });
    }
}
