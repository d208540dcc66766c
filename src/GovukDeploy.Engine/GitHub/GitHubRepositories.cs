using GovukDeploy.Reporting;

namespace GovukDeploy.GitHub;

/// <summary>What GitHub says of a repository itself: its visibility, for confidential mode.</summary>
public sealed class GitHubRepositories
{
    private readonly GitHubConnection _connection;

    internal GitHubRepositories(GitHubConnection connection) => _connection = connection;

    /// <summary>
    /// Public, Private or Internal, from the repository's visibility field (or, where GitHub does not
    /// send one, its private flag). A repository the token cannot see is RepositoryNotFound: GitHub
    /// answers 404 for a private repository to a token without access.
    /// </summary>
    public Task<RepositoryVisibility> GetVisibilityAsync(Application application, IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync(application.Repository, reporter, cancellationToken, async () =>
        {
            var repository = await _connection.Client.Repository.Get(owner, name).ConfigureAwait(false);
            return repository.Visibility switch
            {
                Octokit.RepositoryVisibility.Public => GovukDeploy.RepositoryVisibility.Public,
                Octokit.RepositoryVisibility.Private => GovukDeploy.RepositoryVisibility.Private,
                Octokit.RepositoryVisibility.Internal => GovukDeploy.RepositoryVisibility.Internal,
                _ => repository.Private ? GovukDeploy.RepositoryVisibility.Private : GovukDeploy.RepositoryVisibility.Public,
            };
        });
    }
}
