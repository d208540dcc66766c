namespace GovukDeploy;

/// <summary>
/// What Undo-Deployment would do (its -WhatIf output, and what it asks before a production rollback):
/// the deploy it undoes, the release it returns to and the deploy that ran that release before, the
/// commits it takes out, and every gate's verdict.
/// </summary>
public sealed class RollbackPlan
{
    public required string Application { get; init; }
    public required string Environment { get; init; }

    /// <summary>Why the rollback is made (-Reason), for the audit log.</summary>
    public required string Reason { get; init; }

    /// <summary>The release the environment runs now, which the rollback takes out.</summary>
    public required string CurrentRelease { get; init; }

    /// <summary>The deploy that put <see cref="CurrentRelease"/> in place (ours or observed in Jenkins).</summary>
    public required Deployment Current { get; init; }

    /// <summary>The release the rollback returns to.</summary>
    public required string TargetRelease { get; init; }

    /// <summary>The newest deploy of <see cref="TargetRelease"/> that succeeded in this environment before.</summary>
    public required Deployment Target { get; init; }

    /// <summary>The deploy undone, as the rollback records it: its build URL, or "#Id".</summary>
    public required string RollsBack { get; init; }

    /// <summary>The commits the rollback takes out (in the current release, not in the target), oldest first.</summary>
    public Change[] ChangesTakenOut { get; init; } = [];

    /// <summary>How many commits GitHub says the rollback takes out (more than ChangesTakenOut when the list was cut short).</summary>
    public int TotalChangesTakenOut { get; init; }

    /// <summary>Why the commits taken out could not be listed; null when they were.</summary>
    public string? ChangesUnknown { get; init; }

    /// <summary>The authors of the commits taken out, each once.</summary>
    public string[] AuthorsAffected => ChangesTakenOut.Select(c => c.Author ?? "unknown").Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    public GateVerdict[] Gates { get; init; } = [];

    /// <summary>False when a gate refuses (Failed or Unknown): the rollback would stop there.</summary>
    public bool Passed => !Gates.Any(g => g.Refuses);

    /// <summary>One line for a person: from what to what, and whose changes go.</summary>
    public string Summary =>
        $"Roll {Application} in {Environment} back from {CurrentRelease} to {TargetRelease}, " +
        (ChangesUnknown is not null
            ? "taking out changes that could not be listed"
            : TotalChangesTakenOut == 0
                ? "taking out no commits"
                : $"taking out {TotalChangesTakenOut} commit(s) by {string.Join(", ", AuthorsAffected)}");

    public override string ToString() => Summary;
}
