using GovukDeploy.Configuration;
using GovukDeploy.Holidays;
using GovukDeploy.Windows;
using NodaTime;

namespace GovukDeploy.Session;

/// <summary>
/// The services a PowerShell process shares between cmdlet calls, built on first
/// use (never at import) and rebuilt when the settings they depend on change.
/// </summary>
public sealed class EngineServices
{
    private readonly object _gate = new();
    private (string? Policies, string CachePath, DateTime CacheStamp, DeployWindowService Service)? _windows;

    public EngineServices(DeployConfiguration configuration, IClock clock)
    {
        Configuration = configuration;
        Clock = clock;
    }

    /// <summary>The services of this process, on the system clock.</summary>
    public static EngineServices Current { get; } = new(DeployConfiguration.Current, SystemClock.Instance);

    public DeployConfiguration Configuration { get; }
    public IClock Clock { get; }

    /// <summary>Deploy windows under the configured policies and the freshest holiday calendar on disk.</summary>
    public DeployWindowService Windows
    {
        get
        {
            var policies = Configuration.Get(SettingCatalogue.DeployWindowPolicies);
            var cache = new BankHolidayCache();
            var stamp = File.Exists(cache.FilePath) ? File.GetLastWriteTimeUtc(cache.FilePath) : DateTime.MinValue;
            lock (_gate)
            {
                if (_windows is { } built && built.Policies == policies && built.CachePath == cache.FilePath && built.CacheStamp == stamp)
                {
                    return built.Service;
                }

                var service = DeployWindowService.Create(Clock, DeployWindowPolicyJson.Parse(policies), cache);
                _windows = (policies, cache.FilePath, stamp, service);
                return service;
            }
        }
    }
}
