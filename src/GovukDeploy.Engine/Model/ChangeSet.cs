namespace GovukDeploy;

/// <summary>The commits between what an environment runs and a target release, oldest first.</summary>
public sealed class ChangeSet
{
    public required string Application { get; init; }
    public required string Environment { get; init; }

    /// <summary>What the environment runs (a tag or a SHA); null when it has never had a deploy.</summary>
    public string? Base { get; init; }

    /// <summary>The target release tag (or ref).</summary>
    public required string Head { get; init; }

    /// <summary>True when the environment has never had a deploy, so there is nothing to compare against.</summary>
    public bool NeverDeployed { get; init; }

    /// <summary>How many commits GitHub says lie between Base and Head.</summary>
    public int TotalCommits { get; init; }

    /// <summary>The commits read, oldest first.</summary>
    public Change[] Changes { get; init; } = [];

    /// <summary>How many of TotalCommits are not in Changes (0 unless the list was cut short).</summary>
    public int MoreCount { get; init; }

    public bool Truncated => MoreCount > 0;

    /// <summary>True when the environment runs something newer than (or unrelated to) Head.</summary>
    public bool Behind { get; init; }
}
