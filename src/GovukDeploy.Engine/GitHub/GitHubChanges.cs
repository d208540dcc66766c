using System.Globalization;
using System.Text.RegularExpressions;
using GovukDeploy.Errors;
using GovukDeploy.Reporting;
using Octokit;

namespace GovukDeploy.GitHub;

/// <summary>Get-UndeployedChange: the commits a deploy of a release would ship to an environment.</summary>
public sealed partial class GitHubChanges
{
    /// <summary>GitHub lists at most 250 commits in an unpaginated compare; pages of 100 go further.</summary>
    private const int PageSize = 100;

    private readonly GitHubConnection _connection;

    internal GitHubChanges(GitHubConnection connection) => _connection = connection;

    /// <summary>
    /// The commits between <paramref name="deployed"/> (the tag or SHA the environment runs; null when
    /// it has never had a deploy, which the result says rather than guessing) and <paramref name="target"/>
    /// (default: the latest release), oldest first. At most <paramref name="maxCommits"/> are read;
    /// MoreCount says how many more there are.
    /// </summary>
    public Task<ChangeSet> GetUndeployedAsync(Application application, string environment, string? deployed, string? target = null,
        int maxCommits = 1000, IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(environment);
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync(application.Repository, reporter, cancellationToken, async () =>
        {
            var head = target;
            if (string.IsNullOrWhiteSpace(head))
            {
                var pattern = ReleaseTagPattern.Parse(application.ReleaseTagPattern);
                var tags = await _connection.Releases.ListTagsAsync(owner, name, pattern).ConfigureAwait(false);
                if (tags.Count == 0)
                {
                    throw ErrorCatalogue.NoReleases(application);
                }
                head = tags[0].Tag;
            }

            if (string.IsNullOrWhiteSpace(deployed))
            {
                return new ChangeSet { Application = application.Name, Environment = environment, Base = null, Head = head, NeverDeployed = true };
            }

            var currentLogin = await _connection.GetCurrentLoginAsync(cancellationToken).ConfigureAwait(false);
            var api = new ApiConnection(_connection.Client.Connection);
            var uri = new Uri($"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}/compare/{Uri.EscapeDataString(deployed)}...{Uri.EscapeDataString(head)}", UriKind.Relative);

            var changes = new List<Change>();
            CompareResult? firstPage = null;
            for (var page = 1; ; page++)
            {
                CompareResult result;
                try
                {
                    result = await api.Get<CompareResult>(uri, new Dictionary<string, string>
                    {
                        ["per_page"] = PageSize.ToString(CultureInfo.InvariantCulture),
                        ["page"] = page.ToString(CultureInfo.InvariantCulture),
                    }).ConfigureAwait(false);
                }
                catch (NotFoundException) when (page == 1)
                {
                    // A missing ref and a missing repository both answer 404; tell them apart.
                    await _connection.Client.Repository.Get(owner, name).ConfigureAwait(false);
                    throw ErrorCatalogue.CompareRefNotFound(application.Repository, deployed, head, environment);
                }
                firstPage ??= result;
                var commits = result.Commits ?? [];
                changes.AddRange(commits.Take(maxCommits - changes.Count).Select(c => ToChange(application, c, currentLogin)));
                if (commits.Count < PageSize || changes.Count >= maxCommits || changes.Count >= result.TotalCommits)
                {
                    break;
                }
            }

            var total = Math.Max(firstPage.TotalCommits, changes.Count);
            return new ChangeSet
            {
                Application = application.Name,
                Environment = environment,
                Base = deployed,
                Head = head,
                TotalCommits = total,
                Changes = changes.ToArray(),
                MoreCount = total - changes.Count,
                Behind = firstPage.BehindBy > 0,
            };
        });
    }

    internal static Change ToChange(Application application, GitHubCommit commit, string? currentLogin)
    {
        var author = commit.Author?.Login ?? commit.Commit?.Author?.Name;
        var firstLine = GitHubReleases.FirstLine(commit.Commit?.Message);
        return new Change
        {
            Application = application.Name,
            Sha = commit.Sha,
            Author = author,
            Date = commit.Commit?.Author?.Date,
            Message = firstLine,
            PullRequest = PullRequestNumber(firstLine),
            IsOtherAuthor = !string.Equals(author, currentLogin, StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>"Merge pull request #123 from …" (a merge commit) or "… (#123)" (a squash merge's title).</summary>
    public static int? PullRequestNumber(string? firstLine)
    {
        if (string.IsNullOrEmpty(firstLine))
        {
            return null;
        }
        var match = MergeCommit().Match(firstLine);
        if (!match.Success)
        {
            match = SquashTitle().Match(firstLine);
        }
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    [GeneratedRegex(@"^Merge pull request #(\d+) from ", RegexOptions.CultureInvariant)]
    private static partial Regex MergeCommit();

    [GeneratedRegex(@"\(#(\d+)\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex SquashTitle();
}
