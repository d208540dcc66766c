using System.Collections.Concurrent;

namespace GovukDeploy.Jenkins;

/// <summary>One client per environment's Jenkins, kept for the process so that a crumb and its session are reused.</summary>
public sealed class JenkinsClientFactory : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<JenkinsClient>> _clients = new(StringComparer.OrdinalIgnoreCase);

    public JenkinsClientFactory(JenkinsConnection connection, JenkinsClientOptions? options = null)
    {
        Connection = connection;
        Options = options ?? new JenkinsClientOptions();
    }

    public JenkinsConnection Connection { get; }
    public JenkinsClientOptions Options { get; }

    public JenkinsClient For(string environment) =>
        _clients.GetOrAdd(environment, e => new Lazy<JenkinsClient>(() => new JenkinsClient(Connection, e, Options))).Value;

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }
    }
}
