using GovukDeploy.Reporting;
using Octokit;

namespace GovukDeploy.GitHub;

/// <summary>A pull request's review app, as GitHub's Deployments API records it.</summary>
public sealed record ReviewApp
{
    /// <summary>The newest status's environment_url (or, from older integrations, its target_url); null when it has none.</summary>
    public string? Url { get; init; }

    /// <summary>The newest status's state, as GitHub words it: queued, pending, in_progress, success, failure, error or inactive.</summary>
    public string? State { get; init; }

    /// <summary>The deployment's environment, such as frontend-pr-123.</summary>
    public string? Environment { get; init; }

    public long DeploymentId { get; init; }
}

/// <summary>
/// Review apps: Heroku-style integrations write a GitHub deployment for a pull request's head and
/// statuses that carry the app's address. This reads the newest deployment for a ref and its newest status.
/// </summary>
public sealed class GitHubReviewApps
{
    private const int Newest = 5;

    private readonly GitHubConnection _connection;

    internal GitHubReviewApps(GitHubConnection connection) => _connection = connection;

    /// <summary>
    /// The newest deployment whose ref is the head branch (else the head commit), with its newest status;
    /// null when there is none. A deployment with no status yet, or a status without an http(s) address,
    /// leaves Url (and State) empty and says why on the verbose stream.
    /// </summary>
    public Task<ReviewApp?> ForHeadAsync(Application application, string? headBranch, string headSha, IOperationReporter? reporter = null,
        CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        var verbose = reporter ?? NullReporter.Instance;
        return _connection.RunAsync(application.Repository, reporter, cancellationToken, async () =>
        {
            var deployment = (string.IsNullOrEmpty(headBranch) ? null : await NewestAsync(owner, name, headBranch).ConfigureAwait(false))
                ?? await NewestAsync(owner, name, headSha).ConfigureAwait(false);
            if (deployment is null)
            {
                return null;
            }

            var statuses = await _connection.Client.Repository.Deployment.Status.GetAll(owner, name, deployment.Id,
                new ApiOptions { PageSize = Newest, PageCount = 1 }).ConfigureAwait(false);
            // GitHub lists statuses newest first; the order is checked all the same.
            var newest = statuses.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).FirstOrDefault();
            if (newest is null)
            {
                verbose.Verbose($"{application.Name}: deployment {deployment.Id} ({deployment.Environment}) of {deployment.Ref} has no statuses yet, so it has no review app address.");
                return new ReviewApp { Environment = deployment.Environment, DeploymentId = deployment.Id };
            }

            var address = string.IsNullOrWhiteSpace(newest.EnvironmentUrl) ? newest.TargetUrl : newest.EnvironmentUrl;
            var url = SafeUrl.Http(address);
            if (url is null && !string.IsNullOrWhiteSpace(address))
            {
                verbose.Verbose($"{application.Name}: deployment {deployment.Id}'s newest status gives an address that is not http or https; it is left out.");
            }
            else if (url is null)
            {
                verbose.Verbose($"{application.Name}: deployment {deployment.Id}'s newest status ({newest.State.StringValue}) has no environment_url or target_url.");
            }

            return new ReviewApp { Url = url, State = newest.State.StringValue, Environment = deployment.Environment, DeploymentId = deployment.Id };
        });
    }

    private async Task<Octokit.Deployment?> NewestAsync(string owner, string name, string reference)
    {
        var api = new ApiConnection(_connection.Client.Connection);
        var uri = new Uri($"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}/deployments", UriKind.Relative);
        var deployments = await api.GetAll<Octokit.Deployment>(uri, new Dictionary<string, string> { ["ref"] = reference },
            new ApiOptions { PageSize = Newest, PageCount = 1 }).ConfigureAwait(false);
        return deployments.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).FirstOrDefault();
    }
}
