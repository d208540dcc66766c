namespace GovukDeploy.Deploys.Gates;

/// <summary>What the gates need to know about one deploy, with the caller's look-ups into GitHub.</summary>
public sealed record GateRequest
{
    public required DeployRequest Deploy { get; init; }

    /// <summary>Does this tag (or, for a branch deploy, this branch) exist in the app's repository? Required.</summary>
    public required Func<Application, string, CancellationToken, Task<bool>> RefExists { get; init; }

    /// <summary>
    /// What each environment runs, observed (Jenkins' history, deployed-to branches) and stating per
    /// environment whether it could be learnt. Null means the store's own records are the whole truth
    /// (engine tests only: the module always observes).
    /// </summary>
    public Func<Application, CancellationToken, Task<Observed.RunningView>>? Observe { get; init; }

    /// <summary>
    /// The repository's visibility, for confidential deploys; null (or a failure) counts as Unknown, which
    /// refuses a confidential branch deploy.
    /// </summary>
    public Func<Application, CancellationToken, Task<RepositoryVisibility>>? Visibility { get; init; }

    /// <summary>
    /// The commit a branch points at, or null when the branch does not exist: a confidential branch deploy is
    /// recorded by that commit, never by the branch's name. Null here refuses a confidential branch deploy.
    /// </summary>
    public Func<Application, string, CancellationToken, Task<string?>>? BranchHead { get; init; }

    /// <summary>The undeployed commits by other people; null means the gate is skipped (not checked).</summary>
    public Func<Application, CancellationToken, Task<IReadOnlyList<UndeployedCommit>>>? OtherPeoplesChanges { get; init; }
}
