using GovukDeploy.Errors;

namespace GovukDeploy.Configuration;

/// <summary>
/// The environments in promotion order (the Environments setting), and everything that follows
/// from that order: each environment's predecessor, which ones keep office hours and are frozen
/// by default (all but the first, which CI deploys to), and which one a window is asked about by
/// default (the last). Every part of the module asks this one object, never a list of names of its own.
/// </summary>
public sealed class EnvironmentPolicy
{
    /// <summary>GOV.UK's own order (integration, staging, production): the Environments setting's default.</summary>
    public static readonly EnvironmentPolicy Default =
        new(SettingCatalogue.All.Single(s => s.Name == SettingCatalogue.Environments).Default!.Split(','));

    public EnvironmentPolicy(IEnumerable<string> names)
    {
        var given = (names ?? throw new ArgumentNullException(nameof(names))).ToList();
        var list = new List<string>();
        foreach (var name in given)
        {
            var trimmed = name?.Trim();
            if (string.IsNullOrEmpty(trimmed))
            {
                continue;
            }
            if (list.Contains(trimmed, StringComparer.OrdinalIgnoreCase))
            {
                throw ErrorCatalogue.InvalidEnvironments(string.Join(",", given), $"'{trimmed}' is listed twice");
            }
            list.Add(trimmed);
        }
        if (list.Count == 0)
        {
            throw ErrorCatalogue.InvalidEnvironments(string.Join(",", given), "it names no environment");
        }
        Names = list;
    }

    /// <summary>The policy of the configured Environments setting.</summary>
    public static EnvironmentPolicy FromConfiguration(DeployConfiguration configuration) => new(configuration.EnvironmentNames);

    /// <summary>Every environment, in promotion order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The first environment: CI deploys there, and nothing is promoted into it.</summary>
    public string First => Names[0];

    /// <summary>The last environment (production, at GOV.UK): the one a deploy window is asked about by default.</summary>
    public string Last => Names[^1];

    /// <summary>Where the environment sits in promotion order, or -1 when it is not configured.</summary>
    public int IndexOf(string? environment)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (Names[i].Equals(environment?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    public bool Contains(string? environment) => IndexOf(environment) >= 0;

    /// <summary>The environment a release must have reached before this one; null for the first.</summary>
    public string? PredecessorOf(string environment)
    {
        var index = IndexOf(Require(environment));
        return index > 0 ? Names[index - 1] : null;
    }

    /// <summary>Whether the environment keeps office hours when no deploy-window policy says otherwise (every one but the first).</summary>
    public bool KeepsOfficeHoursByDefault(string environment) => IndexOf(Require(environment)) > 0;

    /// <summary>The environments a freeze covers when none are named: every one but the first (all of them when there is only one).</summary>
    public IReadOnlyList<string> DefaultFreezeScope => Names.Count > 1 ? Names.Skip(1).ToList() : Names;

    /// <summary>The environment's configured spelling, or UnknownEnvironment listing the configured ones.</summary>
    public string Require(string? environment)
    {
        var index = IndexOf(environment);
        return index >= 0 ? Names[index] : throw UnknownEnvironment(environment);
    }

    /// <summary>UnknownEnvironment for a name that is not configured, listing the configured ones.</summary>
    public GovukDeployException UnknownEnvironment(string? environment) => ErrorCatalogue.UnknownEnvironment(environment, Names);

    /// <summary>Each environment's configured spelling, once each, in the order given; UnknownEnvironment for the first unknown one.</summary>
    public IReadOnlyList<string> Require(IEnumerable<string> environments) =>
        environments.Select(Require).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
