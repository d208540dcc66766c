using GovukDeploy.Sandbox.GitHub;

namespace GovukDeploy.Sandbox.Pipeline;

/// <summary>
/// What a Heroku-style review-app integration does when a pull request is opened for an application that
/// has review apps: a transient GitHub deployment of the head branch, an in_progress status, then a
/// success status whose environment_url is the app's address (served at /review-apps/{environment}/).
/// </summary>
public sealed class ReviewAppStep
{
    private readonly GitHubStore _github;
    private readonly string _htmlRoot;
    private readonly GitHubUser _integration;

    public ReviewAppStep(GitHubStore github, string htmlRoot, GitHubUser integration)
    {
        _github = github;
        _htmlRoot = htmlRoot;
        _integration = integration;
    }

    public static string EnvironmentFor(GitRepository repo, PullRequest pr) => $"{repo.Name}-pr-{pr.Number}";

    public GitHubDeployment Opened(GitRepository repo, PullRequest pr, string headSha)
    {
        var environment = EnvironmentFor(repo, pr);
        var deployment = _github.CreateDeployment(repo, pr.HeadRef, headSha, environment, _integration, "deploy",
            $"Review app for pull request #{pr.Number}", transient: true, production: false);
        var log = $"{_htmlRoot}review-apps/{environment}/build-log";
        _github.AddDeploymentStatus(deployment, "in_progress", _integration, logUrl: log, description: "Building the review app");
        _github.AddDeploymentStatus(deployment, "success", _integration, environmentUrl: $"{_htmlRoot}review-apps/{environment}/", logUrl: log,
            description: "The review app is up");
        return deployment;
    }

    /// <summary>A page at each review app's address, so that following the link works.</summary>
    public static void Map(WebApplication app) =>
        app.MapGet("/review-apps/{environment}/", (string environment) =>
            Results.Content($"<!DOCTYPE html><title>Review app</title><h1>Review app {System.Net.WebUtility.HtmlEncode(environment)} (sandbox)</h1>",
                "text/html; charset=utf-8"));
}
