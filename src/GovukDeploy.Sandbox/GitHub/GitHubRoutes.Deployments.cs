using System.Text.Json;
using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.GitHub;

public static partial class GitHubRoutes
{
    /// <summary>GitHub's Deployments API: deployments of a ref, and their statuses, newest first.</summary>
    private static void MapDeployments(RouteGroupBuilder repo, GitHubStore store, GitHubJson json)
    {
        const string docs = Docs + "/deployments/deployments";
        const string statusDocs = Docs + "/deployments/statuses";

        repo.MapGet("/deployments", (HttpContext ctx, string owner, string name) =>
            WithRepo(store, owner, name, r =>
            {
                IEnumerable<GitHubDeployment> found = r.Deployments;
                foreach (var (field, select) in new (string, Func<GitHubDeployment, string>)[] { ("sha", d => d.Sha), ("ref", d => d.Ref), ("task", d => d.Task), ("environment", d => d.Environment) })
                {
                    var wanted = ctx.Request.Query[field].ToString();
                    if (!string.IsNullOrEmpty(wanted))
                    {
                        found = found.Where(d => select(d) == wanted);
                    }
                }
                return Wire.JsonResult(Pagination.Page(ctx, found.ToList()).Select(d => json.Deployment(r, d)).ToList());
            }));

        repo.MapPost("/deployments", async (HttpContext ctx, string owner, string name) =>
        {
            var user = GitHubGateway.CurrentUser(ctx);
            if (user is null)
            {
                return Fail(401, "Requires authentication", docs + "#create-a-deployment");
            }
            var body = await ReadBody(ctx);
            if (body is null || Text(body.Value, "ref") is not { Length: > 0 } reference)
            {
                return Fail(422, "Invalid request.\n\n\"ref\" wasn't supplied.", docs + "#create-a-deployment");
            }
            return WithRepo(store, owner, name, r =>
            {
                if (GitHubStore.Resolve(r, reference) is not { } sha)
                {
                    return Fail(422, $"No ref found for: {reference}", docs + "#create-a-deployment");
                }
                // Unless told which contexts must pass, GitHub requires every status on the commit to be a success.
                var latest = GitHubStore.LatestStatuses(r, sha);
                var required = body.Value.TryGetProperty("required_contexts", out var contexts) && contexts.ValueKind == JsonValueKind.Array
                    ? contexts.EnumerateArray().Select(c => c.GetString() ?? "").ToList()
                    : latest.Select(x => x.Context).ToList();
                var failing = required.Where(c => latest.FirstOrDefault(x => x.Context == c)?.State != "success").ToList();
                if (failing.Count > 0)
                {
                    return Fail(409, $"Conflict: Commit status checks failed for {reference}.", docs + "#create-a-deployment");
                }
                var environment = Text(body.Value, "environment") ?? "production";
                var payload = body.Value.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object
                    ? p.EnumerateObject().ToDictionary(x => x.Name, x => (object?)x.Value.Clone())
                    : new Dictionary<string, object?>();
                var deployment = store.CreateDeployment(r, reference, sha, environment, user, Text(body.Value, "task") ?? "deploy", Text(body.Value, "description"),
                    Flag(body.Value, "transient_environment") ?? false, Flag(body.Value, "production_environment") ?? environment == "production", payload);
                return Wire.JsonResult(json.Deployment(r, deployment), 201);
            });
        });

        repo.MapGet("/deployments/{id:long}", (string owner, string name, long id) =>
            WithDeployment(store, owner, name, id, (r, d) => Wire.JsonResult(json.Deployment(r, d))));

        repo.MapGet("/deployments/{id:long}/statuses", (HttpContext ctx, string owner, string name, long id) =>
            WithDeployment(store, owner, name, id, (r, d) =>
                Wire.JsonResult(Pagination.Page(ctx, d.Statuses).Select(x => json.DeploymentStatus(r, d, x)).ToList())));

        repo.MapGet("/deployments/{id:long}/statuses/{statusId:long}", (string owner, string name, long id, long statusId) =>
            WithDeployment(store, owner, name, id, (r, d) =>
                d.Statuses.FirstOrDefault(x => x.Id == statusId) is { } status
                    ? Wire.JsonResult(json.DeploymentStatus(r, d, status))
                    : NotFound(statusDocs + "#get-a-deployment-status")));

        repo.MapPost("/deployments/{id:long}/statuses", async (HttpContext ctx, string owner, string name, long id) =>
        {
            var user = GitHubGateway.CurrentUser(ctx);
            if (user is null)
            {
                return Fail(401, "Requires authentication", statusDocs + "#create-a-deployment-status");
            }
            var body = await ReadBody(ctx);
            var state = body is null ? null : Text(body.Value, "state");
            if (state is not ("error" or "failure" or "inactive" or "in_progress" or "queued" or "pending" or "success"))
            {
                return Fail(422, "Validation Failed: state must be one of error, failure, inactive, in_progress, queued, pending or success", statusDocs + "#create-a-deployment-status");
            }
            return WithDeployment(store, owner, name, id, (r, d) =>
            {
                var status = store.AddDeploymentStatus(d, state, user, Text(body!.Value, "environment_url"), Text(body.Value, "target_url"),
                    Text(body.Value, "log_url"), Text(body.Value, "description"), Text(body.Value, "environment"));
                return Wire.JsonResult(json.DeploymentStatus(r, d, status), 201);
            });
        });
    }

    private static IResult WithDeployment(GitHubStore store, string owner, string name, long id, Func<GitRepository, GitHubDeployment, IResult> handler) =>
        WithRepo(store, owner, name, r =>
            r.Deployments.FirstOrDefault(d => d.Id == id) is { } deployment
                ? handler(r, deployment)
                : NotFound(Docs + "/deployments/deployments#get-a-deployment"));
}
