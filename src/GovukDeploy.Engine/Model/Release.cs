namespace GovukDeploy;

/// <summary>A release of an application: a tag matching the app's release pattern and the commit it points at.</summary>
public sealed class Release
{
    public required string Application { get; init; }
    public required string Tag { get; init; }

    /// <summary>
    /// The digits after the pattern's prefix, compared as a number (release_100 is newer than release_99);
    /// 0 for a tag that carries a version instead (v1.12.0), which is ordered by the version's precedence.
    /// </summary>
    public long Number { get; init; }
    public required string Sha { get; init; }

    /// <summary>The commit's author date.</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>The author's GitHub login, or the git author name when the commit is not linked to an account.</summary>
    public string? Author { get; init; }

    /// <summary>The first line of the commit message.</summary>
    public string? Message { get; init; }

    /// <summary>The environments whose latest successful deploy is this release.</summary>
    public string[] DeployedTo { get; init; } = [];

    public override string ToString() => Tag;
}
