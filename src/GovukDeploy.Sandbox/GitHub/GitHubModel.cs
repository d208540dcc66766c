namespace GovukDeploy.Sandbox.GitHub;

// The GitHub world in memory. Every field is guarded by GitHubStore.Sync.

public sealed class GitHubUser
{
    public required long Id { get; init; }
    public required string Login { get; init; }
    public required string Name { get; init; }
    public required string Email { get; init; }
    public bool IsOrganization { get; init; }
    public bool IsBot { get; init; }
}

public sealed class GitCommit
{
    public required string Sha { get; init; }
    public required string Message { get; init; }
    public required GitHubUser Author { get; init; }
    public required DateTimeOffset Date { get; init; }
    public required IReadOnlyList<string> Parents { get; init; }
    public required string TreeSha { get; init; }
    public required string FileName { get; init; }
}

public sealed class AnnotatedTag
{
    public required string Sha { get; init; }
    public required string Name { get; init; }
    public required string Message { get; init; }
    public required string ObjectSha { get; init; }
    public required GitHubUser Tagger { get; init; }
    public required DateTimeOffset Date { get; init; }
}

/// <summary>A tag ref: points at a commit (lightweight) or at an annotated tag object.</summary>
public sealed class TagRef
{
    public required string Name { get; init; }
    public required string TargetSha { get; init; }
    public bool IsAnnotated { get; init; }
}

public sealed class PullRequestReview
{
    public required long Id { get; init; }
    public required GitHubUser User { get; init; }
    public required string State { get; init; }
    public required string Body { get; init; }
    public required string CommitId { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
}

public sealed class PullRequest
{
    public required long Id { get; init; }
    public required int Number { get; init; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public required GitHubUser User { get; init; }
    public required string HeadRef { get; init; }
    public required string BaseRef { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public bool Draft { get; set; }
    public bool Closed { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public DateTimeOffset? MergedAt { get; set; }
    /// <summary>The head commit when the branch is gone (after a merge the branch is deleted).</summary>
    public string? HeadSha { get; set; }
    public string? MergeCommitSha { get; set; }
    public GitHubUser? MergedBy { get; set; }
    public List<PullRequestReview> Reviews { get; } = [];
    public bool Merged => MergedAt is not null;

    /// <summary>The fork the head branch lives in; null when it is a branch of the repository itself.</summary>
    public GitRepository? HeadRepository { get; init; }
}

/// <summary>A deployment (GitHub's Deployments API): what review-app integrations write for a pull request's head.</summary>
public sealed class GitHubDeployment
{
    public required long Id { get; init; }
    public required string Sha { get; init; }
    public required string Ref { get; init; }
    public required string Task { get; init; }
    public required string Environment { get; init; }
    public required string OriginalEnvironment { get; init; }
    public string? Description { get; init; }
    public required GitHubUser Creator { get; init; }
    public Dictionary<string, object?> Payload { get; init; } = [];
    public bool TransientEnvironment { get; init; }
    public bool ProductionEnvironment { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Newest first, as GitHub lists them.</summary>
    public List<GitHubDeploymentStatus> Statuses { get; } = [];
}

public sealed class GitHubDeploymentStatus
{
    public required long Id { get; init; }
    public required string State { get; init; }
    public required GitHubUser Creator { get; init; }
    public string Description { get; init; } = "";
    public required string Environment { get; init; }
    public string TargetUrl { get; init; } = "";
    public string EnvironmentUrl { get; init; } = "";
    public string LogUrl { get; init; } = "";
    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed class CommitStatus
{
    public required long Id { get; init; }
    public required string State { get; set; }
    public required string Context { get; init; }
    public required string Description { get; set; }
    public string? TargetUrl { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class CheckRun
{
    public required long Id { get; init; }
    public required string Name { get; init; }
    public required string HeadSha { get; init; }
    public string Status { get; set; } = "queued";
    public string? Conclusion { get; set; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? DetailsUrl { get; set; }
}

public sealed class GitRepository
{
    public required long Id { get; init; }
    public required GitHubUser Owner { get; init; }
    public required string Name { get; init; }
    public string DefaultBranch { get; init; } = "main";
    public string Description { get; init; } = "";
    /// <summary>The name the app is deployed under (GOV.UK's puppet_name), when it differs from the repository name.</summary>
    public string DeployName { get; init; } = "";
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset PushedAt { get; set; }
    public Dictionary<string, GitCommit> Commits { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Branches { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, TagRef> Tags { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, AnnotatedTag> TagObjects { get; } = new(StringComparer.Ordinal);
    public List<PullRequest> Pulls { get; } = [];
    public Dictionary<string, List<CommitStatus>> Statuses { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<CheckRun>> CheckRuns { get; } = new(StringComparer.Ordinal);
    public int NextNumber { get; set; } = 1;

    /// <summary>Private repositories answer 404 to anyone who is not the owner or a member of the owning organisation.</summary>
    public bool Private { get; set; }

    /// <summary>A fork (only ever the head repository of a pull request here; it serves no API of its own).</summary>
    public bool IsFork { get; init; }

    /// <summary>A review app is made for each pull request opened (GitHub deployments with the app's address).</summary>
    public bool HasReviewApps { get; set; }

    /// <summary>Newest first, as GitHub lists them.</summary>
    public List<GitHubDeployment> Deployments { get; } = [];
    public DateTimeOffset LastCommitDate { get; set; } = DateTimeOffset.MinValue;
    public string FullName => $"{Owner.Login}/{Name}";
}
