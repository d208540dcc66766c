using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.GitHub;

public static partial class GitHubRoutes
{
    /// <summary>Git references and tags: list, match, read and create refs; tag objects.</summary>
    private static void MapRefsAndTags(RouteGroupBuilder repo, GitHubStore store, GitHubJson json)
    {
        repo.MapGet("/tags", (HttpContext ctx, string owner, string name) =>
            WithRepo(store, owner, name, r =>
            {
                var tags = r.Tags.Values.OrderByDescending(t => t.Name, StringComparer.Ordinal).ToList();
                return Wire.JsonResult(Pagination.Page(ctx, tags).Select(t => json.Tag(r, t)).ToList());
            }));

        repo.MapGet("/git/refs", (HttpContext ctx, string owner, string name) =>
            WithRepo(store, owner, name, r => Wire.JsonResult(Pagination.Page(ctx, AllRefs(r, json)).ToList())));

        // The older form: an exact ref gives one object, a namespace gives an array.
        repo.MapGet("/git/refs/{**reference}", (HttpContext ctx, string owner, string name, string reference) =>
            WithRepo(store, owner, name, r =>
            {
                var refs = MatchingRefs(r, "refs/" + reference.TrimEnd('/'));
                var exact = refs.FirstOrDefault(x => x.Name == "refs/" + reference);
                if (exact is not null)
                {
                    return Wire.JsonResult(exact.Body(json, r));
                }
                var under = refs.Where(x => x.Name.StartsWith("refs/" + reference.TrimEnd('/') + "/", StringComparison.Ordinal)).ToList();
                return under.Count == 0
                    ? NotFound(Docs + "/git/refs#get-a-reference")
                    : Wire.JsonResult(Pagination.Page(ctx, under).Select(x => x.Body(json, r)).ToList());
            }));

        repo.MapGet("/git/ref/{**reference}", (string owner, string name, string reference) =>
            WithRepo(store, owner, name, r =>
            {
                var exact = MatchingRefs(r, "refs/" + reference).FirstOrDefault(x => x.Name == "refs/" + reference);
                return exact is null ? NotFound(Docs + "/git/refs#get-a-reference") : Wire.JsonResult(exact.Body(json, r));
            }));

        repo.MapGet("/git/matching-refs/{**reference}", (string owner, string name, string reference) =>
            WithRepo(store, owner, name, r =>
                Wire.JsonResult(MatchingRefs(r, "refs/" + reference).Select(x => x.Body(json, r)).ToList())));

        repo.MapPost("/git/refs", async (HttpContext ctx, string owner, string name) =>
        {
            if (GitHubGateway.CurrentUser(ctx) is null)
            {
                return Fail(401, "Requires authentication", Docs + "/git/refs#create-a-reference");
            }
            var body = await ReadBody(ctx);
            if (body is null)
            {
                return Fail(400, "Problems parsing JSON", Docs + "/git/refs#create-a-reference");
            }
            var refName = Text(body.Value, "ref");
            var sha = Text(body.Value, "sha");
            return WithRepo(store, owner, name, r =>
            {
                if (string.IsNullOrEmpty(refName) || !refName.StartsWith("refs/", StringComparison.Ordinal) || refName.Count(c => c == '/') < 2)
                {
                    return Fail(422, "Reference name must start with 'refs/' and have at least two slashes.", Docs + "/git/refs#create-a-reference");
                }
                if (string.IsNullOrEmpty(sha) || !(r.Commits.ContainsKey(sha) || r.TagObjects.ContainsKey(sha)))
                {
                    return Fail(422, "Object does not exist", Docs + "/git/refs#create-a-reference");
                }
                if (MatchingRefs(r, refName).Any(x => x.Name == refName))
                {
                    return Fail(422, "Reference already exists", Docs + "/git/refs#create-a-reference");
                }

                RefEntry created;
                if (refName.StartsWith("refs/tags/", StringComparison.Ordinal))
                {
                    var tagName = refName["refs/tags/".Length..];
                    var annotated = r.TagObjects.ContainsKey(sha);
                    var tag = new TagRef { Name = tagName, TargetSha = sha, IsAnnotated = annotated };
                    r.Tags[tagName] = tag;
                    created = RefEntry.ForTag(tag);
                }
                else if (refName.StartsWith("refs/heads/", StringComparison.Ordinal) && r.Commits.ContainsKey(sha))
                {
                    r.Branches[refName["refs/heads/".Length..]] = sha;
                    created = new RefEntry(refName, sha, "commit");
                }
                else
                {
                    return Fail(422, "Reference name is not a branch or a tag.", Docs + "/git/refs#create-a-reference");
                }
                ctx.Response.Headers.Location = $"{json.RepoUrl(r)}/git/{refName}";
                return Wire.JsonResult(created.Body(json, r), 201);
            });
        });

        repo.MapGet("/git/tags/{sha}", (string owner, string name, string sha) =>
            WithRepo(store, owner, name, r =>
                r.TagObjects.TryGetValue(sha, out var tag)
                    ? Wire.JsonResult(json.AnnotatedTag(r, tag))
                    : NotFound(Docs + "/git/tags#get-a-tag")));
    }

    private static List<object> AllRefs(GitRepository r, GitHubJson json) =>
        MatchingRefs(r, "refs/").Select(x => x.Body(json, r)).ToList();

    /// <summary>Every branch and tag ref whose full name starts with the prefix, in git's (byte) order.</summary>
    private static List<RefEntry> MatchingRefs(GitRepository r, string prefix) =>
        r.Branches.Select(b => new RefEntry("refs/heads/" + b.Key, b.Value, "commit"))
            .Concat(r.Tags.Values.Select(RefEntry.ForTag))
            .Where(x => x.Name.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(x => x.Name, StringComparer.Ordinal)
            .ToList();

    private sealed record RefEntry(string Name, string Sha, string Type)
    {
        public static RefEntry ForTag(TagRef tag) => new("refs/tags/" + tag.Name, tag.TargetSha, tag.IsAnnotated ? "tag" : "commit");

        public object Body(GitHubJson json, GitRepository r) => json.Reference(r, Name, Sha, Type);
    }
}
