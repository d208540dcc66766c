namespace GovukDeploy;

/// <summary>One commit that a deploy would ship.</summary>
public sealed class Change
{
    public required string Application { get; init; }
    public required string Sha { get; init; }

    /// <summary>The author's GitHub login, or the git author name when the commit is not linked to an account.</summary>
    public string? Author { get; init; }
    public DateTimeOffset? Date { get; init; }

    /// <summary>The first line of the commit message.</summary>
    public string? Message { get; init; }

    /// <summary>The pull request the commit merged, read from a merge commit's or a squash commit's message.</summary>
    public int? PullRequest { get; init; }

    /// <summary>
    /// True when the author is not the user the GitHub token belongs to (ask them before deploying
    /// their code). Always true without a token, since then no user is known.
    /// </summary>
    public bool IsOtherAuthor { get; init; }

    public override string ToString() => $"{Sha[..Math.Min(7, Sha.Length)]} {Message}";
}
