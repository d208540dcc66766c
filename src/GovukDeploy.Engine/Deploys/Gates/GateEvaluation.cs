using GovukDeploy.Errors;

namespace GovukDeploy.Deploys.Gates;

/// <summary>The verdicts of the gates for one deploy, and (when enforced) the deploy lock taken by the last gate.</summary>
public sealed class GateEvaluation : IAsyncDisposable
{
    public required DeployRequest Request { get; init; }
    public required IReadOnlyList<GateVerdict> Verdicts { get; init; }

    /// <summary>The application, when the first gate found it.</summary>
    public Application? Application { get; init; }

    /// <summary>In WhatIf mode: the error each failing gate would raise, by gate name.</summary>
    public IReadOnlyDictionary<string, GovukDeployException> Errors { get; init; } = new Dictionary<string, GovukDeployException>();

    /// <summary>The undeployed commits by other people (gate 5): the cmdlet asks the user about these.</summary>
    public IReadOnlyList<UndeployedCommit> OtherPeoplesChanges { get; init; } = [];

    /// <summary>The duration the window gate assumed.</summary>
    public TimeSpan? ExpectedDuration { get; init; }

    /// <summary>The -Reason, when a gate was overridden; recorded with the deploy's start.</summary>
    public string? OverrideReason { get; init; }

    public DeployLockHandle? Lock { get; init; }

    public bool Passed => !Verdicts.Any(v => v.Refuses);

    public ValueTask DisposeAsync() => Lock?.DisposeAsync() ?? ValueTask.CompletedTask;
}
