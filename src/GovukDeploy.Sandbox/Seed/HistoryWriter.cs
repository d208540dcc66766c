using GovukDeploy.Sandbox.GitHub;
using GovukDeploy.Sandbox.Jenkins;

namespace GovukDeploy.Sandbox.Seed;

/// <summary>
/// Turns seeded deploy histories into finished Deploy_App builds on each environment's
/// Jenkins. While the sandbox is seeding it only collects them, and writes them all in one
/// pass when seeding is complete, so that every Jenkins numbers its builds in time order
/// across all apps. An app seeded after that (a test adding one) is written at once.
/// </summary>
public sealed class HistoryWriter
{
    private readonly JenkinsFarm _farm;
    private readonly object _sync = new();
    private readonly Dictionary<string, List<PastBuild>> _pending = new(StringComparer.OrdinalIgnoreCase);
    private bool _complete;

    public HistoryWriter(JenkinsFarm farm) => _farm = farm;

    public void Add(DeployHistory history, Func<GitHubUser, BuildCause> personCause)
    {
        var repo = history.Repository;
        var builds = history.Deploys.Select(d => (d.Environment, Build: new PastBuild(
            [
                new("TARGET_APPLICATION", repo.DeployName),
                new("DEPLOY_TASK", d.Task),
                new("TAG", d.Tag),
            ],
            d.By is null ? BuildCause.Upstream($"{repo.Name}/{repo.DefaultBranch}", d.Release) : personCause(d.By),
            d.At,
            (long)d.Duration.TotalMilliseconds,
            d.Result,
            DeployConsole.Whole(repo.DeployName, repo.FullName, d.Tag, d.Environment, d.Task, d.Result))));

        lock (_sync)
        {
            foreach (var (environment, build) in builds)
            {
                if (!_pending.TryGetValue(environment, out var list))
                {
                    _pending[environment] = list = [];
                }
                list.Add(build);
            }
            if (_complete)
            {
                WritePending();
            }
        }
    }

    /// <summary>Writes everything collected so far; from now on each app is written as it is added.</summary>
    public void Complete()
    {
        lock (_sync)
        {
            _complete = true;
            WritePending();
        }
    }

    private void WritePending()
    {
        foreach (var (environment, builds) in _pending)
        {
            var jenkins = _farm.Find(environment)
                ?? throw new InvalidOperationException($"There is no Jenkins for '{environment}' to seed history on.");
            jenkins.AddHistory(jenkins.FindJob("Deploy_App")!, builds);
        }
        _pending.Clear();
    }
}
