using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace GovukDeploy;

[JsonConverter(typeof(StringEnumConverter))]
public enum CiState
{
    Pending,
    Success,
    Failure,
}

[JsonConverter(typeof(StringEnumConverter))]
public enum ReviewState
{
    ReviewRequired,
    Approved,
    ChangesRequested,
}

/// <summary>A pull request with what the merge gate looks at: CI, reviews, draft, mergeability.</summary>
public sealed class PullRequest
{
    public required string Application { get; init; }
    public int Number { get; init; }
    public required string Title { get; init; }
    public string? Author { get; init; }

    /// <summary>open or closed (merged pull requests are closed and have Merged set).</summary>
    public required string State { get; init; }
    public bool Merged { get; init; }
    public required string HeadSha { get; init; }
    public string? HeadBranch { get; init; }

    /// <summary>The repository the head branch lives in (owner/name); another than the application's for a pull request from a fork.</summary>
    public string? HeadRepository { get; init; }

    /// <summary>From a fork: its branch is not in the application's repository, so Jenkins cannot deploy it.</summary>
    public bool IsFork { get; init; }
    public string? BaseBranch { get; init; }
    public bool Draft { get; init; }

    /// <summary>Commit statuses and check runs combined: Failure if any failed, else Pending if any is running or there are none, else Success.</summary>
    public CiState CiState { get; init; }
    public CheckResult[] Checks { get; init; } = [];

    /// <summary>From each reviewer's latest approving or change-requesting review.</summary>
    public ReviewState ReviewState { get; init; }
    public string[] Approvers { get; init; } = [];

    /// <summary>GitHub's view of whether it merges cleanly; null while GitHub is still working it out.</summary>
    public bool? Mergeable { get; init; }
    public string? MergeableState { get; init; }
    public string? Url { get; init; }

    /// <summary>The review app's address: the newest GitHub deployment for the head, its newest status's environment_url (or target_url).</summary>
    public string? ReviewAppUrl { get; init; }

    /// <summary>That status's state (success, pending, in_progress, failure, error, inactive...); empty when there is no deployment or status.</summary>
    public string? ReviewAppState { get; init; }

    /// <summary>The review app deployment's environment, such as frontend-pr-123.</summary>
    public string? ReviewAppEnvironment { get; init; }

    /// <summary>The newest branch deploy of the head branch (or head commit) to the first environment, from the store; null when none.</summary>
    public Deployment? BranchDeploy { get; internal set; }

    public override string ToString() => $"#{Number} {Title}";
}
