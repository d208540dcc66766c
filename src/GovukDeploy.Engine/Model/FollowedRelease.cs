// Public output type of Wait-Release: BCL types and this module's own only.
namespace GovukDeploy;

/// <summary>
/// A merged change followed to its release: the release that first contains the commit (with the
/// same properties as GovukDeploy.Release, so it pipes on to Invoke-Deploy and Get-Release), the
/// Integration deploy that CI started for it, and the smoke tests that deploy started.
/// </summary>
public sealed class FollowedRelease
{
    public required string Application { get; init; }

    /// <summary>The release tag, release_N.</summary>
    public required string Tag { get; init; }
    public long Number { get; init; }

    /// <summary>The commit the release tag points at: the followed commit, or a later one that contains it.</summary>
    public required string Sha { get; init; }
    public DateTimeOffset? Date { get; init; }
    public string? Author { get; init; }
    public string? Message { get; init; }

    /// <summary>The environments known to run this release when the wait ended: integration, unless a newer deploy replaced it.</summary>
    public string[] DeployedTo { get; init; } = [];

    /// <summary>The commit that was followed: the pull request's merge commit, or the -Sha given.</summary>
    public required string Commit { get; init; }

    /// <summary>The pull request whose merge was followed (for a commit given alone, the one that merged it); null for a direct push.</summary>
    public int? PullRequest { get; init; }

    /// <summary>The default branch CI ran on.</summary>
    // Not "Branch": a Branch property would bind to Invoke-Deploy -Branch down a pipeline.
    public string? DefaultBranch { get; init; }

    /// <summary>Where CI on the default branch reported (null when CI did not report on this commit and a later release contains it).</summary>
    public string? CiUrl { get; init; }

    /// <summary>CI's deploy of the release to Integration (DeployedBy "CI", Source Jenkins), as the store records it once read from Jenkins.</summary>
    public required Deployment IntegrationDeploy { get; init; }

    /// <summary>The Smokey run that the Integration deploy started.</summary>
    public required SmokeTestResult SmokeTest { get; init; }

    /// <summary>The release as Get-Release returns it.</summary>
    public Release ToRelease() => new()
    {
        Application = Application,
        Tag = Tag,
        Number = Number,
        Sha = Sha,
        Date = Date,
        Author = Author,
        Message = Message,
        DeployedTo = DeployedTo,
    };

    /// <summary>The same, with the store's record of the Integration deploy (which has an Id) in place of the one read from Jenkins.</summary>
    internal FollowedRelease WithIntegrationDeploy(Deployment recorded) => new()
    {
        Application = Application,
        Tag = Tag,
        Number = Number,
        Sha = Sha,
        Date = Date,
        Author = Author,
        Message = Message,
        DeployedTo = DeployedTo,
        Commit = Commit,
        PullRequest = PullRequest,
        DefaultBranch = DefaultBranch,
        CiUrl = CiUrl,
        IntegrationDeploy = recorded,
        SmokeTest = SmokeTest,
    };

    public override string ToString() => Tag;
}
