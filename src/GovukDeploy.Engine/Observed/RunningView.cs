namespace GovukDeploy.Observed;

/// <summary>
/// What each environment runs for a set of applications: the newest successful deploy the store knows
/// (ours or observed), how fresh that knowledge is per environment, and where sources disagree.
/// </summary>
public sealed class RunningView
{
    private static readonly IReadOnlyDictionary<string, Deployment> None = new Dictionary<string, Deployment>();

    public required SyncReport Observation { get; init; }

    /// <summary>Application name to environment to its newest successful deploy (absent when it has none).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, Deployment>> ByApplication { get; init; }

    /// <summary>Application name to notes on sources that disagree (a deployed-to branch elsewhere than Jenkins says).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Disagreements { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyDictionary<string, Deployment> For(string application) => ByApplication.GetValueOrDefault(application) ?? None;

    public Deployment? Get(string application, string environment) => For(application).GetValueOrDefault(environment);

    public bool IsKnown(string environment) => Observation.For(environment).Known;

    public IReadOnlyList<string> DisagreementsFor(string application) => Disagreements.GetValueOrDefault(application) ?? [];
}
