namespace GovukDeploy;

public enum CiState
{
    Pending,
    Success,
    Failure,
}

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

    public override string ToString() => $"#{Number} {Title}";
}
