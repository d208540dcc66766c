using System.Net;
using Octokit;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>The GitHub stand-in, driven by the real Octokit client through its GitHub Enterprise base address.</summary>
public sealed class GitHubApiTests
{
    [Fact]
    public async Task OctokitReachesTheEnterpriseLayoutAndSeesTheTokenUser()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var user = await sandbox.GitHub().User.Current();
        Assert.Equal("sandbox-developer", user.Login);

        var repo = await sandbox.GitHub().Repository.Get("alphagov", "contacts-admin");
        Assert.Equal("main", repo.DefaultBranch);
        Assert.Equal($"{sandbox.BaseUrl}alphagov/contacts-admin", repo.HtmlUrl);
        Assert.Equal($"{sandbox.BaseUrl}api/v3/repos/alphagov/contacts-admin", repo.Url);
    }

    [Fact]
    public async Task TagsPageThroughLinkHeadersAndSortAsText()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = sandbox.GitHub();

        var all = await client.Repository.GetAllTags("alphagov", "whitehall");
        Assert.Equal(120, all.Count);
        Assert.Equal(120, all.Select(t => t.Name).Distinct().Count());
        Assert.Contains(all, t => t.Name == "release_120");

        // GitHub lists tags in text order, so release_99 comes before release_120.
        var first = await client.Repository.GetAllTags("alphagov", "whitehall", new ApiOptions { PageSize = 5, PageCount = 1 });
        Assert.Equal(5, first.Count);
        Assert.Equal("release_99", first[0].Name);
        Assert.True(all.ToList().FindIndex(t => t.Name == "release_99") < all.ToList().FindIndex(t => t.Name == "release_120"));

        var third = await client.Repository.GetAllTags("alphagov", "whitehall", new ApiOptions { PageSize = 50, StartPage = 3, PageCount = 1 });
        Assert.Equal(20, third.Count);
    }

    [Fact]
    public async Task TagRefsIncludeAnnotatedTagsThatPeelToCommits()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = sandbox.GitHub();

        var refs = await client.Git.Reference.GetAllForSubNamespace("alphagov", "whitehall", "tags");
        Assert.Equal(120, refs.Count);
        Assert.All(refs, r => Assert.StartsWith("refs/tags/release_", r.Ref));

        var lightweight = await client.Git.Reference.Get("alphagov", "whitehall", "tags/release_11");
        Assert.Equal(TaggedType.Commit, lightweight.Object.Type.Value);

        var annotated = await client.Git.Reference.Get("alphagov", "whitehall", "tags/release_10");
        Assert.Equal(TaggedType.Tag, annotated.Object.Type.Value);
        var tagObject = await client.Git.Tag.Get("alphagov", "whitehall", annotated.Object.Sha);
        Assert.Equal("release_10", tagObject.Tag);
        Assert.Equal(TaggedType.Commit, tagObject.Object.Type.Value);

        var tags = await client.Repository.GetAllTags("alphagov", "whitehall");
        Assert.Equal(tagObject.Object.Sha, tags.Single(t => t.Name == "release_10").Commit.Sha);

        using var matching = await sandbox.Http.SendAsync(sandbox.GitHubRequest(HttpMethod.Get, "repos/alphagov/whitehall/git/matching-refs/tags/release_11"));
        var body = System.Text.Json.JsonDocument.Parse(await matching.Content.ReadAsStringAsync()).RootElement;
        // release_11 and release_110 … release_119
        Assert.Equal(11, body.GetArrayLength());

        using var single = await sandbox.Http.SendAsync(sandbox.GitHubRequest(HttpMethod.Get, "repos/alphagov/whitehall/git/ref/tags/release_1"));
        Assert.Equal("refs/tags/release_1", System.Text.Json.JsonDocument.Parse(await single.Content.ReadAsStringAsync()).RootElement.GetProperty("ref").GetString());
    }

    [Fact]
    public async Task CreatingATagRefWorksOnceAndThenIsRefused()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = sandbox.GitHub();
        var head = await client.Repository.Commit.Get("alphagov", "frontend", "main");

        var created = await client.Git.Reference.Create("alphagov", "frontend", new NewReference("refs/tags/hotfix_1", head.Sha));
        Assert.Equal("refs/tags/hotfix_1", created.Ref);
        Assert.Equal(head.Sha, (await client.Git.Reference.Get("alphagov", "frontend", "tags/hotfix_1")).Object.Sha);

        var again = await Assert.ThrowsAsync<ApiValidationException>(() =>
            client.Git.Reference.Create("alphagov", "frontend", new NewReference("refs/tags/hotfix_1", head.Sha)));
        Assert.Equal(422, (int)again.StatusCode);
        Assert.Contains("already exists", again.Message);
    }

    [Fact]
    public async Task CompareListsWhatADeployWouldShipAndCapsAt250Commits()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = sandbox.GitHub();

        var compare = await client.Repository.Commit.Compare("alphagov", "whitehall", "release_98", "release_100");
        Assert.Equal("ahead", compare.Status);
        // Each release is a feature commit and its merge commit.
        Assert.Equal(4, compare.TotalCommits);
        Assert.Equal(4, compare.Commits.Count);
        Assert.Equal(compare.Commits[^1].Sha, (await client.Repository.Commit.Get("alphagov", "whitehall", "release_100")).Sha);

        var backwards = await client.Repository.Commit.Compare("alphagov", "whitehall", "release_100", "release_98");
        Assert.Equal("behind", backwards.Status);
        Assert.Equal(0, backwards.TotalCommits);

        // Push 30 more commits to a branch so that the range exceeds GitHub's cap of 250.
        var repo = sandbox.Server.GitHub.FindRepository("alphagov", "whitehall")!;
        var author = sandbox.Server.GitHub.FindUser("alice-govuk")!;
        for (var i = 0; i < 30; i++)
        {
            sandbox.Server.GitHub.AddCommit(repo, "main", $"Extra change {i}", author);
        }
        var first = await client.Repository.Commit.GetAll("alphagov", "whitehall", new CommitRequest { Sha = "release_1" });
        var initialSha = first[^1].Sha;
        var wide = await client.Repository.Commit.Compare("alphagov", "whitehall", initialSha, "main");
        Assert.Equal(270, wide.TotalCommits);
        Assert.Equal(250, wide.Commits.Count);
        Assert.Equal("Extra change 29", wide.Commits[^1].Commit.Message);

        // Asking for pages gives every commit, oldest first, through the Link header.
        var paged = await client.Repository.Commit.Compare("alphagov", "whitehall", initialSha, "main", new ApiOptions { PageSize = 100 });
        Assert.Equal(270, paged.Commits.Count);
        Assert.Equal(270, paged.Commits.Select(c => c.Sha).Distinct().Count());
    }

    [Fact]
    public async Task CommitsHaveSeveralAuthorsAndParents()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var commits = await sandbox.GitHub().Repository.Commit.GetAll("alphagov", "frontend");
        Assert.Equal(25, commits.Count);
        Assert.True(commits.Select(c => c.Author.Login).Distinct().Count() >= 3);
        Assert.Contains(commits, c => c.Author.Login == "sandbox-developer");
        Assert.Contains(commits, c => c.Parents.Count == 2);
        Assert.True(commits.Zip(commits.Skip(1)).All(p => p.First.Commit.Author.Date >= p.Second.Commit.Author.Date));
    }

    [Fact]
    public async Task PullRequestsComeInEveryState()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = sandbox.GitHub();
        var open = await client.PullRequest.GetAllForRepository("alphagov", "frontend");
        Assert.Equal(5, open.Count);

        var states = new Dictionary<int, string>();
        foreach (var pr in open)
        {
            var full = await client.PullRequest.Get("alphagov", "frontend", pr.Number);
            states[pr.Number] = full.MergeableState!.Value.StringValue;
        }
        Assert.Equal("clean", states[13]);
        Assert.Equal("blocked", states[14]);
        Assert.Equal("blocked", states[15]);
        Assert.Equal("draft", states[16]);
        Assert.True(open.Single(p => p.Number == 16).Draft);

        var failing = await client.Repository.Status.GetCombined("alphagov", "frontend", open.Single(p => p.Number == 14).Head.Sha);
        Assert.Equal(CommitState.Failure, failing.State.Value);
        var runs = await client.Check.Run.GetAllForReference("alphagov", "frontend", open.Single(p => p.Number == 14).Head.Sha);
        Assert.Equal(1, runs.TotalCount);
        Assert.Equal(CheckConclusion.Failure, runs.CheckRuns[0].Conclusion!.Value.Value);

        var reviews = await client.PullRequest.Review.GetAll("alphagov", "frontend", 15);
        Assert.Equal(PullRequestReviewState.ChangesRequested, reviews.Single().State.Value);
    }

    [Fact]
    public async Task MergingIsRefusedWith405WhenNotMergeableAnd409WhenTheHeadMoved()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = sandbox.GitHub();

        await Assert.ThrowsAsync<PullRequestNotMergeableException>(() =>
            client.PullRequest.Merge("alphagov", "frontend", 14, new MergePullRequest()));
        await Assert.ThrowsAsync<PullRequestNotMergeableException>(() =>
            client.PullRequest.Merge("alphagov", "frontend", 15, new MergePullRequest()));
        await Assert.ThrowsAsync<PullRequestNotMergeableException>(() =>
            client.PullRequest.Merge("alphagov", "frontend", 16, new MergePullRequest()));
        await Assert.ThrowsAsync<PullRequestMismatchException>(() =>
            client.PullRequest.Merge("alphagov", "frontend", 13, new MergePullRequest { Sha = new string('0', 40) }));

        var pr = await client.PullRequest.Get("alphagov", "frontend", 13);
        var merged = await client.PullRequest.Merge("alphagov", "frontend", 13, new MergePullRequest { Sha = pr.Head.Sha });
        Assert.True(merged.Merged);
        var after = await client.PullRequest.Get("alphagov", "frontend", 13);
        Assert.True(after.Merged);
        Assert.Equal(ItemState.Closed, after.State.Value);
        var main = await client.Repository.Commit.Get("alphagov", "frontend", "main");
        Assert.Equal(merged.Sha, main.Sha);
        Assert.Equal(pr.Head.Sha, main.Parents[1].Sha);

        await Assert.ThrowsAsync<PullRequestNotMergeableException>(() =>
            client.PullRequest.Merge("alphagov", "frontend", 13, new MergePullRequest()));
    }

    [Fact]
    public async Task ReviewsFollowGithubsRules()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = sandbox.GitHub();

        // Nobody may approve their own pull request.
        var own = await Assert.ThrowsAsync<ApiValidationException>(() =>
            client.PullRequest.Review.Create("alphagov", "frontend", 14, new PullRequestReviewCreate { Event = PullRequestReviewEvent.Approve }));
        Assert.Contains("own pull request", own.Message);

        Assert.Equal("blocked", (await client.PullRequest.Get("alphagov", "frontend", 17)).MergeableState!.Value.StringValue);
        var review = await client.PullRequest.Review.Create("alphagov", "frontend", 17,
            new PullRequestReviewCreate { Event = PullRequestReviewEvent.Approve, Body = "Good catch" });
        Assert.Equal(PullRequestReviewState.Approved, review.State.Value);
        Assert.Equal("sandbox-developer", review.User.Login);
        Assert.Equal("clean", (await client.PullRequest.Get("alphagov", "frontend", 17)).MergeableState!.Value.StringValue);
    }

    [Fact]
    public async Task ConditionalRequestsAnswer304WithoutSpendingTheRateLimit()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var first = await sandbox.Http.SendAsync(sandbox.GitHubRequest(HttpMethod.Get, "repos/alphagov/whitehall"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag!;
        var remaining = int.Parse(first.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal(4999, remaining);

        for (var i = 0; i < 3; i++)
        {
            var conditional = sandbox.GitHubRequest(HttpMethod.Get, "repos/alphagov/whitehall");
            conditional.Headers.IfNoneMatch.Add(etag);
            using var notModified = await sandbox.Http.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Equal(remaining.ToString(), notModified.Headers.GetValues("X-RateLimit-Remaining").Single());
        }

        using var again = await sandbox.Http.SendAsync(sandbox.GitHubRequest(HttpMethod.Get, "repos/alphagov/whitehall"));
        Assert.Equal((remaining - 1).ToString(), again.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal("core", again.Headers.GetValues("X-RateLimit-Resource").Single());
        Assert.True(again.Headers.Contains("X-GitHub-Request-Id"));

        var limits = await sandbox.GitHub().RateLimit.GetRateLimits();
        Assert.Equal(5000, limits.Resources.Core.Limit);
        Assert.Equal(remaining - 1, limits.Resources.Core.Remaining);
    }

    [Fact]
    public async Task BadTokensGet401AndAnonymousCallersGet60AnHour()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var bad = sandbox.GitHub(authenticated: false);
        bad.Credentials = new Credentials("ghp_not_a_real_token");
        var error = await Assert.ThrowsAsync<AuthorizationException>(() => bad.Repository.Get("alphagov", "frontend"));
        Assert.Equal("Bad credentials", error.Message);

        var anonymous = sandbox.GitHub(authenticated: false);
        await anonymous.Repository.Get("alphagov", "frontend");
        Assert.Equal(60, anonymous.GetLastApiInfo().RateLimit.Limit);
        await Assert.ThrowsAsync<AuthorizationException>(() => anonymous.User.Current());

        await Assert.ThrowsAsync<NotFoundException>(() => sandbox.GitHub().Repository.Get("alphagov", "no-such-app"));
        using var missing = await sandbox.Http.SendAsync(sandbox.GitHubRequest(HttpMethod.Get, "repos/alphagov/no-such-app"));
        var body = System.Text.Json.JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Not Found", body.GetProperty("message").GetString());
        Assert.StartsWith("https://docs.github.com/", body.GetProperty("documentation_url").GetString());
    }

    [Fact]
    public async Task BranchesAndGitCommitObjectsAreServed()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = sandbox.GitHub();
        var main = await client.Repository.Branch.Get("alphagov", "frontend", "main");
        Assert.True(main.Protected);
        var head = await client.Repository.Commit.Get("alphagov", "frontend", "main");
        Assert.Equal(head.Sha, main.Commit.Sha);

        var branches = await client.Repository.Branch.GetAll("alphagov", "frontend");
        Assert.Contains(branches, b => b.Name == "main");
        // main, the five open pull requests' branches and what each environment runs
        Assert.Equal(9, branches.Count);
        Assert.Equal(["deployed-to-integration", "deployed-to-production", "deployed-to-staging"],
            branches.Select(b => b.Name).Where(n => n.StartsWith("deployed-to-", StringComparison.Ordinal)));

        var gitCommit = await client.Git.Commit.Get("alphagov", "frontend", head.Sha);
        Assert.Equal(head.Commit.Message, gitCommit.Message);
        Assert.Equal(2, gitCommit.Parents.Count);
        await Assert.ThrowsAsync<NotFoundException>(() => client.Repository.Branch.Get("alphagov", "frontend", "no-such-branch"));
    }

    [Fact]
    public async Task ReleasedHistoryHasMergedPullRequestsThatCommitsLeadBackTo()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = sandbox.GitHub();
        var closed = await client.PullRequest.GetAllForRepository("alphagov", "whitehall", new PullRequestRequest { State = ItemStateFilter.Closed });
        Assert.Equal(120, closed.Count);
        Assert.All(closed, p => Assert.NotNull(p.MergedAt));

        var release = await client.Repository.Commit.Get("alphagov", "whitehall", "release_57");
        var viaMerge = await client.Repository.Commit.PullRequests("alphagov", "whitehall", release.Sha);
        Assert.Equal(57, viaMerge.Single().Number);
        var viaFeature = await client.Repository.Commit.PullRequests("alphagov", "whitehall", release.Parents[1].Sha);
        Assert.Equal(57, viaFeature.Single().Number);

        var merged = await client.PullRequest.Get("alphagov", "whitehall", 57);
        Assert.True(merged.Merged);
        Assert.Equal(release.Sha, merged.MergeCommitSha);
        Assert.Equal(release.Parents[1].Sha, merged.Head.Sha);
        var reviews = await client.PullRequest.Review.GetAll("alphagov", "whitehall", 57);
        Assert.NotEqual(merged.User.Login, reviews.Single().User.Login);

        var openHead = (await client.PullRequest.Get("alphagov", "frontend", 14)).Head.Sha;
        Assert.Equal(14, (await client.Repository.Commit.PullRequests("alphagov", "frontend", openHead)).Single().Number);
    }
}
