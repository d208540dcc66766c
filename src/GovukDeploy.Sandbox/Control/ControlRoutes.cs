using System.Text.Json;
using GovukDeploy.Sandbox.GitHub;
using GovukDeploy.Sandbox.Hosting;
using GovukDeploy.Sandbox.Release;

namespace GovukDeploy.Sandbox.Control;

/// <summary>
/// /_sandbox/: things only a test or a demo does — push to a PR with a chosen CI
/// outcome, review as someone else, decide the next CI result, freeze an app in the
/// Release app, read what was recorded. Never affected by faults.
/// </summary>
public static class ControlRoutes
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static void Map(WebApplication app, SandboxServer server)
    {
        var github = server.GitHub;
        var pipeline = server.Pipeline;
        var release = server.Release;
        var control = app.MapGroup("/_sandbox");

        control.MapGet("/", () => Wire.JsonResult(new Dictionary<string, object?>
        {
            ["endpoints"] = new[]
            {
                "GET /_sandbox/health",
                "GET /_sandbox/info",
                "GET /_sandbox/events?repo=owner/name",
                "GET /_sandbox/github/users",
                "POST /_sandbox/github/repos/{owner}/{repo}/pulls {title, ci, author, draft, fork}",
                "POST /_sandbox/github/repos/{owner}/{repo}/visibility {visibility: public|private}",
                "POST /_sandbox/github/repos/{owner}/{repo}/review-apps {enabled}",
                "POST /_sandbox/github/repos/{owner}/{repo}/deployments {ref, environment, state, environment_url, target_url, description}",
                "POST /_sandbox/github/tokens {login, member}",
                "GET /_sandbox/slack/messages",
                "POST /_sandbox/github/repos/{owner}/{repo}/pulls/{n}/push {ci, message, author}",
                "POST /_sandbox/github/repos/{owner}/{repo}/pulls/{n}/reviews {user, state, body}",
                "POST /_sandbox/ci/{owner}/{repo}/next-outcome {outcome, branch}",
                "POST /_sandbox/release/applications/{shortname} {deploy_freeze, notes}",
                "GET /_sandbox/release/deployments?repo=owner/name&environment=env",
                "GET|POST|DELETE /_sandbox/faults {service, kind, count, ms, status, retryAfterSeconds, resetSeconds, environment}",
            }.Concat(AftermathRoutes.Endpoints).ToArray(),
            ["aftermathEffects"] = DeployAftermath.Effects.Keys.ToArray(),
            ["faultServices"] = Faults.FaultBoard.Services,
            ["faultKinds"] = Faults.FaultBoard.Kinds.ToArray(),
        }));

        control.MapGet("/health", () => Wire.JsonResult(new Dictionary<string, object?> { ["status"] = "ok" }));

        control.MapGet("/info", () => Wire.JsonResult(server.ReadyInfo()));

        control.MapGet("/events", (string? repo) => Wire.JsonResult(pipeline.Log.Events(repo).Select(e => e.ToJson()).ToList()));

        control.MapGet("/github/users", () => Wire.JsonResult(
            new[] { "sandbox-developer", "alice-govuk", "bob-govuk", "carol-govuk", "govuk-ci" }
                .Select(github.FindUser).Where(u => u is not null).Select(u => server.GitHubJson.User(u!)).ToList()));

        control.MapPost("/github/repos/{owner}/{name}/pulls/{number:int}/push", async (HttpContext ctx, string owner, string name, int number) =>
        {
            var body = await ReadJson<PushRequest>(ctx) ?? new PushRequest();
            var outcome = Outcome(body.Ci);
            if (outcome is null)
            {
                return Error(400, "'ci' must be \"success\" or \"failure\".");
            }
            var (repo, pr) = FindPull(github, owner, name, number);
            if (repo is null || pr is null)
            {
                return Error(404, $"No pull request {owner}/{name}#{number}.");
            }
            if (pr.Closed)
            {
                return Error(422, $"Pull request #{number} is closed; push to an open one.");
            }
            if (pr.HeadRepository is not null)
            {
                return Error(422, $"Pull request #{number} is from the fork {pr.HeadRepository.FullName}; the sandbox pushes only to branches of {owner}/{name}.");
            }
            var author = (body.Author is null ? null : github.FindUser(body.Author)) ?? pr.User;
            var commit = pipeline.PushToPullRequest(repo, pr, outcome, body.Message ?? $"Address review comments on #{number}", author);
            return Wire.JsonResult(new Dictionary<string, object?> { ["sha"] = commit.Sha, ["ci"] = outcome.ToLowerInvariant() }, 201);
        });

        control.MapPost("/github/repos/{owner}/{name}/pulls", async (HttpContext ctx, string owner, string name) =>
        {
            var body = await ReadJson<NewPullRequest>(ctx) ?? new NewPullRequest();
            var outcome = Outcome(body.Ci);
            var repo = github.FindRepository(owner, name);
            if (repo is null)
            {
                return Error(404, $"No repository {owner}/{name}.");
            }
            if (outcome is null)
            {
                return Error(400, "'ci' must be \"success\" or \"failure\".");
            }
            var author = (body.Author is null ? null : github.FindUser(body.Author)) ?? server.Seed.Developer;
            var pr = server.Seed.Pull(repo, author, body.Title ?? "A change made in the sandbox", "pending", body.Draft, body.Fork);
            string head;
            lock (github.Sync)
            {
                head = GitHubStore.HeadOf(repo, pr);
            }
            pipeline.RunPullRequestCi(repo, pr, head, outcome);
            return Wire.JsonResult(new Dictionary<string, object?> { ["number"] = pr.Number, ["head_sha"] = head }, 201);
        });

        control.MapPost("/github/repos/{owner}/{name}/visibility", async (HttpContext ctx, string owner, string name) =>
        {
            var body = await ReadJson<VisibilityRequest>(ctx) ?? new VisibilityRequest();
            var repo = github.FindRepository(owner, name);
            if (repo is null)
            {
                return Error(404, $"No repository {owner}/{name}.");
            }
            if (body.Visibility?.ToLowerInvariant() is not ("public" or "private"))
            {
                return Error(400, "Send {\"visibility\": \"private\"} or {\"visibility\": \"public\"}.");
            }
            lock (github.Sync)
            {
                repo.Private = body.Visibility.Equals("private", StringComparison.OrdinalIgnoreCase);
                return Wire.JsonResult(server.GitHubJson.Repository(repo));
            }
        });

        control.MapPost("/github/repos/{owner}/{name}/review-apps", async (HttpContext ctx, string owner, string name) =>
        {
            var body = await ReadJson<ReviewAppsRequest>(ctx) ?? new ReviewAppsRequest();
            var repo = github.FindRepository(owner, name);
            if (repo is null)
            {
                return Error(404, $"No repository {owner}/{name}.");
            }
            lock (github.Sync)
            {
                repo.HasReviewApps = body.Enabled;
            }
            return Wire.JsonResult(new Dictionary<string, object?> { ["repository"] = repo.FullName, ["review_apps"] = body.Enabled });
        });

        control.MapPost("/github/repos/{owner}/{name}/deployments", async (HttpContext ctx, string owner, string name) =>
        {
            var body = await ReadJson<DeploymentRequest>(ctx) ?? new DeploymentRequest();
            var repo = github.FindRepository(owner, name);
            if (repo is null)
            {
                return Error(404, $"No repository {owner}/{name}.");
            }
            if (string.IsNullOrWhiteSpace(body.Ref) || string.IsNullOrWhiteSpace(body.Environment))
            {
                return Error(400, "Send {\"ref\": \"a branch or commit\", \"environment\": \"frontend-pr-1\", \"state\": \"success\", \"environment_url\": \"https://...\"}; leave out state for a deployment with no statuses.");
            }
            if (body.State is not (null or "error" or "failure" or "inactive" or "in_progress" or "queued" or "pending" or "success"))
            {
                return Error(400, "'state' must be one of error, failure, inactive, in_progress, queued, pending or success.");
            }
            lock (github.Sync)
            {
                // A ref that is not a branch or tag of this repository (a fork's branch) is taken as it is, with the commit given.
                var sha = GitHubStore.Resolve(repo, body.Ref) ?? body.Sha;
                if (sha is null)
                {
                    return Error(422, $"{repo.FullName} has no ref {body.Ref}; give its commit as 'sha'.");
                }
                var integration = github.FindUser("govuk-ci") ?? repo.Owner;
                var deployment = github.CreateDeployment(repo, body.Ref, sha, body.Environment, integration, description: body.Description, transient: true);
                if (body.State is not null)
                {
                    github.AddDeploymentStatus(deployment, body.State, integration, body.EnvironmentUrl, body.TargetUrl, description: body.Description);
                }
                return Wire.JsonResult(server.GitHubJson.Deployment(repo, deployment), 201);
            }
        });

        control.MapPost("/github/tokens", async (HttpContext ctx) =>
        {
            var body = await ReadJson<TokenRequest>(ctx) ?? new TokenRequest();
            if (string.IsNullOrWhiteSpace(body.Login) || !body.Login.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return Error(400, "Send {\"login\": \"someone-else\", \"member\": false}: a login of letters, digits and hyphens.");
            }
            var token = "ghp_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18)).ToLowerInvariant();
            var user = github.AddUser(body.Login, body.Login, token: token);
            if (body.Member)
            {
                github.AddMember(server.Seed.Organization, user);
            }
            return Wire.JsonResult(new Dictionary<string, object?> { ["login"] = user.Login, ["token"] = token, ["member"] = body.Member }, 201);
        });

        control.MapPost("/github/repos/{owner}/{name}/pulls/{number:int}/reviews", async (HttpContext ctx, string owner, string name, int number) =>
        {
            var body = await ReadJson<ReviewRequest>(ctx) ?? new ReviewRequest();
            var reviewer = body.User is null ? null : github.FindUser(body.User);
            var state = body.State?.ToUpperInvariant();
            if (reviewer is null || state is not ("APPROVED" or "CHANGES_REQUESTED" or "COMMENTED"))
            {
                return Error(400, "Send {\"user\": \"alice-govuk\", \"state\": \"APPROVED\" | \"CHANGES_REQUESTED\" | \"COMMENTED\", \"body\": \"...\"}.");
            }
            var (repo, pr) = FindPull(github, owner, name, number);
            if (repo is null || pr is null)
            {
                return Error(404, $"No pull request {owner}/{name}#{number}.");
            }
            lock (github.Sync)
            {
                var review = new PullRequestReview
                {
                    Id = github.NextId(),
                    User = reviewer,
                    State = state,
                    Body = body.Body ?? "",
                    CommitId = GitHubStore.HeadOf(repo, pr),
                    SubmittedAt = github.Clock.GetUtcNow(),
                };
                pr.Reviews.Add(review);
                return Wire.JsonResult(server.GitHubJson.Review(repo, pr, review), 201);
            }
        });

        control.MapPost("/ci/{owner}/{name}/next-outcome", async (HttpContext ctx, string owner, string name) =>
        {
            var body = await ReadJson<OutcomeRequest>(ctx) ?? new OutcomeRequest();
            var repo = github.FindRepository(owner, name);
            var outcome = Outcome(body.Outcome);
            if (repo is null)
            {
                return Error(404, $"No repository {owner}/{name}.");
            }
            if (outcome is null)
            {
                return Error(400, "'outcome' must be \"success\" or \"failure\".");
            }
            var job = pipeline.CiJob(repo, body.Branch ?? repo.DefaultBranch);
            pipeline.SetNextOutcome(job.FullName, outcome);
            return Wire.JsonResult(new Dictionary<string, object?> { ["job"] = job.FullName, ["outcome"] = outcome.ToLowerInvariant() });
        });

        control.MapPost("/release/applications/{shortname}", async (HttpContext ctx, string shortname) =>
        {
            var body = await ReadJson<ReleaseUpdate>(ctx) ?? new ReleaseUpdate();
            var application = release.Find(shortname);
            if (application is null)
            {
                return Error(404, $"The Release app has no application '{shortname}'.");
            }
            lock (release.Sync)
            {
                if (body.DeployFreeze is { } freeze)
                {
                    application.DeployFreeze = freeze;
                }
                if (body.Notes is not null)
                {
                    application.Notes = body.Notes;
                }
                return Wire.JsonResult(ReleaseRoutes.Json(application));
            }
        });

        control.MapGet("/release/deployments", (string? repo, string? environment) => Wire.JsonResult(
            release.Deployments()
                .Where(d => repo is null || d.Repo.Equals(repo, StringComparison.OrdinalIgnoreCase))
                .Where(d => environment is null || d.Environment.Equals(environment, StringComparison.OrdinalIgnoreCase))
                .Select(ReleaseRoutes.DeploymentJson).ToList()));
    }

    private static (GitRepository? Repo, PullRequest? Pull) FindPull(GitHubStore github, string owner, string name, int number)
    {
        lock (github.Sync)
        {
            var repo = github.FindRepository(owner, name);
            return (repo, repo?.Pulls.FirstOrDefault(p => p.Number == number));
        }
    }

    private static string? Outcome(string? text) => (text ?? "success").ToLowerInvariant() switch
    {
        "success" or "pass" or "passed" => "SUCCESS",
        "failure" or "fail" or "failed" => "FAILURE",
        _ => null,
    };

    private static async Task<T?> ReadJson<T>(HttpContext ctx) where T : class
    {
        if (ctx.Request.ContentLength is 0 || !(ctx.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return null;
        }
        try
        {
            return await ctx.Request.ReadFromJsonAsync<T>(Web, ctx.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Error(int status, string message) =>
        Wire.JsonResult(new Dictionary<string, object?> { ["error"] = message }, status);

    private sealed class PushRequest
    {
        public string? Ci { get; set; }
        public string? Message { get; set; }
        public string? Author { get; set; }
    }

    private sealed class NewPullRequest
    {
        public string? Title { get; set; }
        public string? Ci { get; set; }
        public string? Author { get; set; }
        public bool Draft { get; set; }

        /// <summary>Opened from the author's fork, whose branch is not in the repository.</summary>
        public bool Fork { get; set; }
    }

    private sealed class VisibilityRequest
    {
        public string? Visibility { get; set; }
    }

    private sealed class ReviewAppsRequest
    {
        public bool Enabled { get; set; } = true;
    }

    private sealed class DeploymentRequest
    {
        public string? Ref { get; set; }
        public string? Sha { get; set; }
        public string? Environment { get; set; }
        public string? State { get; set; }

        [System.Text.Json.Serialization.JsonPropertyName("environment_url")]
        public string? EnvironmentUrl { get; set; }

        [System.Text.Json.Serialization.JsonPropertyName("target_url")]
        public string? TargetUrl { get; set; }
        public string? Description { get; set; }
    }

    private sealed class TokenRequest
    {
        public string? Login { get; set; }
        public bool Member { get; set; }
    }

    private sealed class ReviewRequest
    {
        public string? User { get; set; }
        public string? State { get; set; }
        public string? Body { get; set; }
    }

    private sealed class OutcomeRequest
    {
        public string? Branch { get; set; }
        public string? Outcome { get; set; }
    }

    private sealed class ReleaseUpdate
    {
        [System.Text.Json.Serialization.JsonPropertyName("deploy_freeze")]
        public bool? DeployFreeze { get; set; }
        public string? Notes { get; set; }
    }
}
