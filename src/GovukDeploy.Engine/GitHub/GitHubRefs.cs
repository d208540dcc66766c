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

    private Task<bool> ExistsAsync(Application application, string reference, IOperationReporter? reporter, CancellationToken cancellationToken)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync(application.Repository, reporter, cancellationToken, async () =>
        {
            try
            {
                var found = await _connection.Client.Git.Reference.Get(owner, name, reference);
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
