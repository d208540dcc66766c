using System.Collections.Concurrent;

namespace GovukDeploy.Sandbox.Hosting;

/// <summary>How many requests each service has answered (github, jenkins, sentry, icinga, ...), for tests and benchmarks that count them.</summary>
public sealed class RequestCounter
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.OrdinalIgnoreCase);

    public void Add(string service) => _counts.AddOrUpdate(service, 1, (_, n) => n + 1);

    public long this[string service] => _counts.GetValueOrDefault(service);

    public void Reset() => _counts.Clear();
}
