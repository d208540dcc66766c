using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.Pipeline;

/// <summary>What the pipeline did, in order, so that tests and demos can see merge → CI → tag → deploy → Smokey.</summary>
public sealed class PipelineLog
{
    private readonly object _sync = new();
    private readonly List<PipelineEvent> _events = [];
    private readonly TimeProvider _clock;

    public PipelineLog(TimeProvider clock) => _clock = clock;

    public void Add(string repo, string kind, string detail, string? environment = null, string? url = null)
    {
        lock (_sync)
        {
            _events.Add(new PipelineEvent(_events.Count + 1, _clock.GetUtcNow(), repo, kind, detail, environment, url));
        }
    }

    public IReadOnlyList<PipelineEvent> Events(string? repo = null)
    {
        lock (_sync)
        {
            return _events.Where(e => repo is null || e.Repo.Equals(repo, StringComparison.OrdinalIgnoreCase)).ToList();
        }
    }
}

public sealed record PipelineEvent(int Sequence, DateTimeOffset At, string Repo, string Kind, string Detail, string? Environment, string? Url)
{
    public object ToJson() => new Dictionary<string, object?>
    {
        ["sequence"] = Sequence,
        ["at"] = Wire.Iso(At),
        ["repo"] = Repo,
        ["kind"] = Kind,
        ["detail"] = Detail,
        ["environment"] = Environment,
        ["url"] = Url,
    };
}
