using System.Text;
using GovukDeploy.Sandbox.GitHub;
using GovukDeploy.Sandbox.Jenkins;

namespace GovukDeploy.Sandbox.Seed;

/// <summary>
/// The Deploy_App builds of one seeded application on each environment: the releases
/// that went through Integration (by CI), Staging and Production (by people) before the
/// sandbox started. A seed may add to it or change who did what before it is written.
/// </summary>
public sealed class DeployHistory
{
    /// <summary>How many releases each environment's history goes back (fewer when the app has fewer).</summary>
    public const int Depth = 4;

    private readonly Func<int, DateTimeOffset> _taggedAt;

    private DeployHistory(GitRepository repository, int releases, Func<int, DateTimeOffset> taggedAt)
    {
        Repository = repository;
        Releases = releases;
        _taggedAt = taggedAt;
    }

    public GitRepository Repository { get; }
    public int Releases { get; }
    public List<SeededDeploy> Deploys { get; } = [];

    /// <summary>When release_N was tagged.</summary>
    public DateTimeOffset TaggedAt(int release) => _taggedAt(release);

    /// <summary>
    /// The usual life of an app with <paramref name="releases"/> releases: CI deploys each
    /// of the newest few to Integration minutes after tagging it; people take each on to
    /// Staging about an hour later and to Production an hour after that, so that in the end
    /// Integration runs release_n, Staging release_(n-1) and Production release_(n-2).
    /// The newest deploy to each environment is by <paramref name="deployer"/>; older ones
    /// are by <paramref name="people"/> in turn.
    /// </summary>
    public static DeployHistory Typical(GitRepository repository, int releases, Func<int, DateTimeOffset> taggedAt,
        GitHubUser deployer, IReadOnlyList<GitHubUser> people)
    {
        var history = new DeployHistory(repository, releases, taggedAt);
        // Apps do not all deploy at the same minute: a fixed offset per app spreads them out.
        var seed = Hash(repository.Name);
        var offset = TimeSpan.FromSeconds(seed % 1800);
        string[] environments = ["integration", "staging", "production"];
        for (var e = 0; e < environments.Length; e++)
        {
            var newest = releases - e;
            for (var n = Math.Max(1, newest - Depth + 1); n <= newest; n++)
            {
                var after = e switch
                {
                    0 => TimeSpan.FromMinutes(4),
                    1 => TimeSpan.FromMinutes(70),
                    _ => TimeSpan.FromMinutes(140),
                };
                history.Deploys.Add(new SeededDeploy
                {
                    Environment = environments[e],
                    Release = n,
                    By = e == 0 ? null : n == newest ? deployer : people[(int)((seed + (uint)n + (uint)e) % (uint)people.Count)],
                    At = taggedAt(n) + after + offset,
                    Duration = TimeSpan.FromSeconds(35 + Hash($"{repository.Name}/{environments[e]}/{n}") % 180),
                });
            }
        }
        return history;
    }

    /// <summary>Adds a build to the history (a failed deploy, another task...).</summary>
    public SeededDeploy Add(string environment, int release, DateTimeOffset at, GitHubUser? by,
        string result = "SUCCESS", string task = DeployConsole.DeployTask, TimeSpan? duration = null)
    {
        if (release < 1 || release > Releases)
        {
            throw new ArgumentOutOfRangeException(nameof(release), $"{Repository.FullName} has releases 1 to {Releases}.");
        }
        var deploy = new SeededDeploy
        {
            Environment = environment,
            Release = release,
            By = by,
            At = at,
            Result = result,
            Task = task,
            Duration = duration ?? TimeSpan.FromSeconds(60),
        };
        Deploys.Add(deploy);
        return deploy;
    }

    /// <summary>What runs in the environment: its newest deploy task that succeeded.</summary>
    public SeededDeploy? Running(string environment) =>
        Deploys.Where(d => d.Environment == environment && d.Deployed).MaxBy(d => d.At);

    /// <summary>
    /// FNV-1a with a final mix (so that names differing in one character spread widely):
    /// string.GetHashCode differs between runs, and the seed must not.
    /// </summary>
    private static uint Hash(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }
        hash ^= hash >> 16;
        hash *= 0x85ebca6bu;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35u;
        return hash ^ (hash >> 16);
    }
}
