namespace GovukDeploy.Store;

/// <summary>A deploy seen in a source we do not run (Jenkins' history), keyed by its build URL.</summary>
public sealed record ObservedDeployment
{
    public required string Application { get; init; }
    public required string Environment { get; init; }
    public required string Release { get; init; }
    public string? Sha { get; init; }
    public required DeploymentStatus Status { get; init; }
    public required string BuildUrl { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public required string DeployedBy { get; init; }
    public string DeployTask { get; init; } = DeployTasks.Deploy;
    public bool IsBranchDeploy { get; init; }
    public DeploymentSource Source { get; init; } = DeploymentSource.Jenkins;

    /// <summary>Seen while the application was confidential (a branch's name is then withheld from Release).</summary>
    public bool Confidential { get; init; }

    /// <summary>A release whose deploy task succeeded: what the environment runs from then on.</summary>
    public bool ChangedWhatRuns => Status == DeploymentStatus.Succeeded && !IsBranchDeploy && DeployTasks.ChangesWhatRuns(DeployTask);
}

/// <summary>
/// What one read of one source found, written in one transaction with the source's new watermark,
/// so that a sync interrupted half way leaves the previous view whole.
/// </summary>
public sealed record ObservedBatch
{
    /// <summary>Names the source and where it is (e.g. "jenkins:staging:https://deploy.staging/"), so a moved Jenkins starts afresh.</summary>
    public required string SourceKey { get; init; }
    public required string Environment { get; init; }

    /// <summary>Every build up to this number has been read (builds still running are read again next time).</summary>
    public required long LastNumber { get; init; }

    public IReadOnlyList<ObservedDeployment> Deployments { get; init; } = [];

    /// <summary>Applications whose older history was searched in this read, found or not (so it is not searched again).</summary>
    public IReadOnlyList<string> SearchedApplications { get; init; } = [];
}

/// <summary>How far a source has been read, and when.</summary>
public sealed record SyncState
{
    public required string SourceKey { get; init; }
    public required string Environment { get; init; }
    public required long LastNumber { get; init; }
    public required DateTimeOffset SyncedAt { get; init; }

    /// <summary>Applications (store keys) whose older history has been searched in this source.</summary>
    public IReadOnlySet<string> SearchedApplications { get; init; } = new HashSet<string>();
}

/// <summary>What writing a batch changed.</summary>
public sealed record ObservedBatchResult(int Added, int Updated, int AlreadyOurs);
