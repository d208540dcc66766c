namespace GovukDeploy.Sandbox.Jenkins;

/// <summary>The Jenkins instances by environment name: ci, integration, staging, production.</summary>
public sealed class JenkinsFarm
{
    public const string Ci = "ci";
    public static readonly string[] DeployEnvironments = ["integration", "staging", "production"];

    private readonly Dictionary<string, JenkinsInstance> _instances = new(StringComparer.OrdinalIgnoreCase);

    public void Add(JenkinsInstance instance) => _instances[instance.Environment] = instance;

    public JenkinsInstance? Find(string environment) => _instances.GetValueOrDefault(environment);

    public JenkinsInstance this[string environment] => _instances[environment];

    public IEnumerable<JenkinsInstance> All => _instances.Values;

    public void ExpireCrumbs(string? environment)
    {
        foreach (var instance in _instances.Values.Where(i => environment is null || i.Environment.Equals(environment, StringComparison.OrdinalIgnoreCase)))
        {
            instance.Crumbs.ExpireAll();
        }
    }
}
