namespace GovukDeploy.Sandbox.Release;

/// <summary>An application as the Release app knows it.</summary>
public sealed class ReleaseApplication
{
    public required long Id { get; init; }
    public required string Name { get; init; }
    public required string Shortname { get; init; }
    public required string Repo { get; init; }
    public required string RepositoryUrl { get; init; }
    public string DefaultBranch { get; init; } = "main";
    public bool ContinuouslyDeployed { get; init; }
    public bool DeployFreeze { get; set; }
    public string Notes { get; set; } = "";
}

/// <summary>A deployment the Release app was told about.</summary>
public sealed record RecordedDeployment(long Id, string Repo, string Version, string Environment, DateTimeOffset CreatedAt, string Source);

/// <summary>The Release app's state: applications and the deployments it has recorded.</summary>
public sealed class ReleaseApp
{
    private readonly Dictionary<string, ReleaseApplication> _apps = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<RecordedDeployment> _deployments = [];
    private long _nextAppId;
    private long _nextDeploymentId;

    public object Sync { get; } = new();

    public ReleaseApplication Add(string name, string shortname, string repo, string repositoryUrl, string defaultBranch, bool continuouslyDeployed)
    {
        lock (Sync)
        {
            var app = new ReleaseApplication
            {
                Id = ++_nextAppId,
                Name = name,
                Shortname = shortname,
                Repo = repo,
                RepositoryUrl = repositoryUrl,
                DefaultBranch = defaultBranch,
                ContinuouslyDeployed = continuouslyDeployed,
            };
            _apps[shortname] = app;
            return app;
        }
    }

    /// <summary>By shortname (the deploy name) or, failing that, by repository name.</summary>
    public ReleaseApplication? Find(string name)
    {
        lock (Sync)
        {
            return _apps.GetValueOrDefault(name)
                ?? _apps.Values.FirstOrDefault(a => a.Repo.EndsWith("/" + name, StringComparison.OrdinalIgnoreCase));
        }
    }

    public IReadOnlyList<ReleaseApplication> All()
    {
        lock (Sync)
        {
            return _apps.Values.OrderBy(a => a.Shortname, StringComparer.Ordinal).ToList();
        }
    }

    public RecordedDeployment Record(string repo, string version, string environment, DateTimeOffset when, string source)
    {
        lock (Sync)
        {
            var deployment = new RecordedDeployment(++_nextDeploymentId, repo, version, environment, when, source);
            _deployments.Add(deployment);
            return deployment;
        }
    }

    public IReadOnlyList<RecordedDeployment> Deployments()
    {
        lock (Sync)
        {
            return _deployments.ToList();
        }
    }
}
