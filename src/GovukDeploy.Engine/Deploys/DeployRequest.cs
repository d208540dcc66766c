namespace GovukDeploy.Deploys;

/// <summary>One deploy as Invoke-Deploy asks for it: a release (or, to integration only, a branch) of an app to an environment.</summary>
public sealed record DeployRequest
{
    public required string Application { get; init; }
    public required string Environment { get; init; }

    /// <summary>The release tag; null for a branch deploy.</summary>
    public string? Release { get; init; }

    /// <summary>A branch to deploy to integration (Jenkins' TAG gets the branch name); never counts for promotion.</summary>
    public string? Branch { get; init; }

    public string DeployTask { get; init; } = "deploy";
    public string? Sha { get; init; }
    public bool Force { get; init; }
    public string? Reason { get; init; }

    /// <summary>Posted to the Slack webhook before the deploy starts.</summary>
    public string? Announce { get; init; }
    public bool SmokeTest { get; init; }

    /// <summary>Return as soon as the build has started; Wait-Deployment follows it later.</summary>
    public bool NoWait { get; init; }

    /// <summary>
    /// How long to wait for the deploy once it has been triggered (in Jenkins' queue and while its build
    /// runs); null waits until it ends. When it runs out the wait ends with DeployTimeout, and the deploy
    /// goes on in Jenkins, recorded as InProgress.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// A rollback (Undo-Deployment): the release ran in this environment before, so the promotion-order
    /// gate does not apply and the window gate passes (incidents do not keep office hours); the freeze
    /// and deploy-lock gates apply as ever. <see cref="Reason"/> says why, for the audit log.
    /// </summary>
    public bool Rollback { get; init; }

    /// <summary>For a rollback, the deploy it undoes: that deploy's build URL, or "#Id".</summary>
    public string? RollsBack { get; init; }

    /// <summary>Who deploys (recorded in the store and the audit log).</summary>
    public required string Actor { get; init; }

    /// <summary>Where the branch lives (owner/name), when known (a pull request says); another repository than the application's is a fork, which Jenkins cannot deploy.</summary>
    public string? BranchRepository { get; init; }

    /// <summary>
    /// Treat this deploy as confidential even when the application is not (Invoke-Deploy -Confidential): Slack,
    /// the store and the Release app are told the release tag and SHA only.
    /// </summary>
    public bool Confidential { get; init; }

    /// <summary>Deploy whatever release this earlier environment runs (observed), instead of <see cref="Release"/>; filled in before the gates.</summary>
    public string? FromEnvironment { get; init; }

    public bool IsBranchDeploy => !string.IsNullOrWhiteSpace(Branch);

    /// <summary>What Jenkins' TAG gets and the store records as the release.</summary>
    public string Ref => IsBranchDeploy ? Branch! : Release ?? "";

    public override string ToString() => Rollback ? $"rollback of {Application} to {Ref} in {Environment}" : $"{Application} {Ref} to {Environment}";
}
