using GovukDeploy.Sandbox.GitHub;
using GovukDeploy.Sandbox.Jenkins;
using GovukDeploy.Sandbox.Pipeline;
using GovukDeploy.Sandbox.Release;

namespace GovukDeploy.Sandbox.Seed;

/// <summary>Builds seeded applications: a repository with released history, its Release app entry and its CI job.</summary>
public sealed class SeedBuilder
{
    private readonly GitHubStore _github;
    private readonly ReleaseApp _release;
    private readonly ReleasePipeline _pipeline;
    private readonly JenkinsFarm _farm;
    private readonly string _htmlRoot;
    private readonly DateTimeOffset _now;
    private readonly HistoryWriter _history;

    public SeedBuilder(GitHubStore github, ReleaseApp release, ReleasePipeline pipeline, JenkinsFarm farm, string htmlRoot, string developerLogin, string developerToken)
    {
        _github = github;
        _release = release;
        _pipeline = pipeline;
        _farm = farm;
        _htmlRoot = htmlRoot;
        _now = github.Clock.GetUtcNow();
        _history = new HistoryWriter(farm);
        Developer = github.AddUser(developerLogin, "Sandbox Developer", token: developerToken);
        Reviewers =
        [
            github.AddUser("alice-govuk", "Alice Okafor"),
            github.AddUser("bob-govuk", "Bob Lindqvist"),
            github.AddUser("carol-govuk", "Carol Nguyen"),
        ];
        Bot = github.AddUser("govuk-ci", "GOV.UK CI", bot: true);
        Organization = github.AddUser("alphagov", "GOV.UK", organization: true);
        // Members see the organisation's private repositories; a token of anyone else gets GitHub's 404.
        foreach (var member in new[] { Developer, Bot }.Concat(Reviewers))
        {
            github.AddMember(Organization, member);
        }
        ReviewApps = new ReviewAppStep(github, htmlRoot, Bot);
    }

    /// <summary>Makes a review app for each pull request opened for an application that has them.</summary>
    public ReviewAppStep ReviewApps { get; }

    public GitHubUser Developer { get; }

    /// <summary>Told of each application seeded, once its repository and history exist (the server seeds Sentry and Icinga for it).</summary>
    public Action<GitRepository>? AppSeeded { get; set; }
    public IReadOnlyList<GitHubUser> Reviewers { get; }
    public GitHubUser Bot { get; }
    public GitHubUser Organization { get; }

    /// <summary>Authors of seeded history in turn: the token's user and the others.</summary>
    private GitHubUser AuthorFor(int i) => (i % 4) switch
    {
        0 => Developer,
        _ => Reviewers[(i % 4) - 1],
    };

    /// <summary>
    /// An application with <paramref name="releases"/> releases: each a feature commit merged
    /// by a merge commit tagged release_N (every tenth tag annotated). Its Deploy_App history
    /// (<see cref="DeployHistory.Typical"/>, which <paramref name="history"/> may change) leaves
    /// Integration running the newest, Staging the one before and Production the one before
    /// that; each environment's deployed-to-&lt;environment&gt; branch and Release app record say the same.
    /// </summary>
    public GitRepository App(string repoName, string? deployName, int releases, string description = "", Action<DeployHistory>? history = null)
    {
        var deploy = string.IsNullOrWhiteSpace(deployName) ? repoName : deployName;
        var start = _now.AddHours(-3 * (releases + 2) - 24);
        DateTimeOffset TaggedAt(int n) => start.AddHours(3 * n).AddMinutes(45);
        var repo = _github.CreateRepository(Organization, repoName, deploy,
            string.IsNullOrEmpty(description) ? $"GOV.UK application {repoName} (sandbox)" : description, start);

        lock (_github.Sync)
        {
            var initial = _github.AddCommit(repo, repo.DefaultBranch, "Initial commit", Developer, start);
            var previous = initial.Sha;
            for (var n = 1; n <= releases; n++)
            {
                var at = start.AddHours(3 * n);
                var author = AuthorFor(n);
                var branch = $"change-{n}";
                var feature = _github.AddCommit(repo, branch, $"Change {n} to {repoName}\n\nA small improvement.", author, at, [previous]);
                var number = repo.NextNumber++;
                var merge = _github.AddCommit(repo, repo.DefaultBranch,
                    $"Merge pull request #{number} from alphagov/{branch}\n\nChange {n} to {repoName}", author, at.AddMinutes(30),
                    [previous, feature.Sha]);
                repo.Branches.Remove(branch);
                var reviewer = Reviewers.Where(r => r != author).ElementAt(n % 2);
                repo.Pulls.Add(new PullRequest
                {
                    Id = _github.NextId(),
                    Number = number,
                    Title = $"Change {n} to {repoName}",
                    Body = "A small improvement.",
                    User = author,
                    HeadRef = branch,
                    BaseRef = repo.DefaultBranch,
                    HeadSha = feature.Sha,
                    CreatedAt = at,
                    UpdatedAt = at.AddMinutes(30),
                    Closed = true,
                    ClosedAt = merge.Date,
                    MergedAt = merge.Date,
                    MergeCommitSha = merge.Sha,
                    MergedBy = author,
                });
                repo.Pulls[^1].Reviews.Add(new PullRequestReview
                {
                    Id = _github.NextId(),
                    User = reviewer,
                    State = "APPROVED",
                    Body = "",
                    CommitId = feature.Sha,
                    SubmittedAt = at.AddMinutes(15),
                });
                _github.SetStatus(repo, feature.Sha, GitHubStore.PullRequestContext, "success", "This commit looks good", null);
                _github.SetStatus(repo, merge.Sha, GitHubStore.BranchContext, "success", "This commit looks good", null);
                _github.CreateTag(repo, $"release_{n}", merge.Sha, Bot, annotated: n % 10 == 0, TaggedAt(n));
                previous = merge.Sha;
            }
        }

        _release.Add(Title(repoName), deploy, repo.FullName, $"{_htmlRoot}{repo.FullName}", repo.DefaultBranch, continuouslyDeployed: true);

        // The next CI build of the default branch makes the next release number.
        var ciJob = _pipeline.CiJob(repo, repo.DefaultBranch);
        lock (_farm[JenkinsFarm.Ci].Sync)
        {
            ciJob.NextBuildNumber = releases + 1;
        }

        var past = DeployHistory.Typical(repo, releases, TaggedAt, Developer, [Developer, .. Reviewers]);
        history?.Invoke(past);
        foreach (var environment in new[] { "production", "staging", "integration" })
        {
            if (past.Running(environment) is not { } running)
            {
                continue;
            }
            string commit;
            lock (_github.Sync)
            {
                commit = GitHubStore.Resolve(repo, running.Tag)!;
            }
            _github.MoveBranch(repo, DeployConsole.DeployedBranch(environment), commit, running.Finished);
            _release.Record(repo.FullName, running.Tag, environment, running.Finished, "seed");
        }
        _history.Add(past, JenkinsCause);
        AppSeeded?.Invoke(repo);
        return repo;
    }

    /// <summary>Adds a second tag on the commit of release_N, for each pair (an application that also tags versions, vX.Y.Z).</summary>
    public void AlsoTag(GitRepository repo, params (int Release, string Tag)[] tags)
    {
        lock (_github.Sync)
        {
            foreach (var (release, tag) in tags)
            {
                var commit = GitHubStore.Resolve(repo, $"release_{release}")
                    ?? throw new InvalidOperationException($"{repo.FullName} has no release_{release} to tag {tag} on.");
                _github.CreateTag(repo, tag, commit, Bot, annotated: false);
            }
        }
    }

    /// <summary>
    /// Writes the Deploy_App history of every app seeded so far, numbered in time order on
    /// each Jenkins. The server calls it once seeding is done; apps seeded later are written at once.
    /// </summary>
    public void Finish() => _history.Complete();

    /// <summary>
    /// A person's Jenkins cause. GOV.UK's Jenkins signs people in with GitHub, so the login is
    /// the Jenkins user id; the token's user is the sandbox's API user, which has no full name.
    /// </summary>
    private BuildCause JenkinsCause(GitHubUser person) =>
        BuildCause.User(person.Login, person == Developer ? person.Login : person.Name);

    /// <summary>An open pull request with one commit, a CI outcome and reviews.</summary>
    public PullRequest Pull(GitRepository repo, GitHubUser author, string title, string ciOutcome, bool draft = false,
        params (GitHubUser Reviewer, string State, string Body)[] reviews) => Pull(repo, author, title, ciOutcome, draft, fromFork: false, reviews);

    /// <summary>
    /// As above; <paramref name="fromFork"/> opens it from the author's fork, whose branch is not in the
    /// repository (its commit is, as GitHub keeps a pull request's head).
    /// </summary>
    public PullRequest Pull(GitRepository repo, GitHubUser author, string title, string ciOutcome, bool draft, bool fromFork,
        params (GitHubUser Reviewer, string State, string Body)[] reviews)
    {
        PullRequest pr;
        string head;
        lock (_github.Sync)
        {
            var number = repo.NextNumber++;
            var branch = $"{author.Login.Split('-')[0]}/{Slug(title)}";
            var baseSha = repo.Branches[repo.DefaultBranch];
            var created = _now.AddMinutes(-120 + number);
            var commit = _github.AddCommit(repo, branch, title, author, created, [baseSha]);
            head = commit.Sha;
            GitRepository? fork = null;
            if (fromFork)
            {
                repo.Branches.Remove(branch);
                fork = new GitRepository
                {
                    Id = _github.NextId(),
                    Owner = author,
                    Name = repo.Name,
                    IsFork = true,
                    DefaultBranch = repo.DefaultBranch,
                    Description = repo.Description,
                    CreatedAt = created,
                };
            }
            pr = new PullRequest
            {
                Id = _github.NextId(),
                Number = number,
                Title = title,
                Body = $"## What\n\n{title}.\n\n## Why\n\nSeeded by the sandbox.",
                User = author,
                HeadRef = branch,
                BaseRef = repo.DefaultBranch,
                CreatedAt = created,
                UpdatedAt = created,
                Draft = draft,
                HeadRepository = fork,
                HeadSha = fork is null ? null : head,
            };
            repo.Pulls.Add(pr);
            foreach (var (reviewer, state, body) in reviews)
            {
                pr.Reviews.Add(new PullRequestReview
                {
                    Id = _github.NextId(),
                    User = reviewer,
                    State = state,
                    Body = body,
                    CommitId = head,
                    SubmittedAt = created.AddMinutes(20),
                });
            }
        }

        var ciUrl = $"{_farm[JenkinsFarm.Ci].RootUrl}job/{repo.Name}/job/PR-{pr.Number}/";
        var (state2, description, conclusion) = ciOutcome switch
        {
            "success" => ("success", "This commit looks good", "success"),
            "failure" => ("failure", "This commit cannot be built", "failure"),
            _ => ("pending", "This commit is being built", (string?)null),
        };
        _github.SetStatus(repo, head, GitHubStore.PullRequestContext, state2, description, ciUrl);
        _github.SetCheckRun(repo, head, conclusion is null ? "in_progress" : "completed", conclusion, ciUrl);
        if (repo.HasReviewApps)
        {
            ReviewApps.Opened(repo, pr, head);
        }
        return pr;
    }

    private static string Title(string repoName) =>
        string.Join(' ', repoName.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static string Slug(string text) =>
        string.Join('-', text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(5)
            .Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray())).Where(w => w.Length > 0));
}
