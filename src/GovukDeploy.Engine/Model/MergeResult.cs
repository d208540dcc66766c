namespace GovukDeploy;

/// <summary>What Merge-PullRequest did.</summary>
public sealed class MergeResult
{
    public required string Application { get; init; }
    public int Number { get; init; }
    public bool Merged { get; init; }

    /// <summary>The commit the merge made on the base branch.</summary>
    public string? Sha { get; init; }

    /// <summary>The head SHA that was checked and sent with the merge.</summary>
    public required string HeadSha { get; init; }
    public required string Method { get; init; }
    public string? Message { get; init; }
}
