using System.Net;
using GovukDeploy.Catalogue;
using GovukDeploy.Configuration;
using GovukDeploy.Holidays;
using GovukDeploy.Store;
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
    private (string Location, string? Password, IDeployStore Store)? _store;

    public EngineServices(DeployConfiguration configuration, IClock clock)
    {
        Configuration = configuration;
        Clock = clock;
    }

    /// <summary>The services of this process, on the system clock.</summary>
    public static EngineServices Current { get; } = new(DeployConfiguration.Current, SystemClock.Instance);

    public DeployConfiguration Configuration { get; }
    public IClock Clock { get; }

    /// <summary>
    /// Who is making changes, for the audit log and freezes: the GitHub login once it is
    /// known, else the operating system's user name.
    /// </summary>
    public string Actor => GitHubLogin ?? Environment.UserName;

    /// <summary>Set once the GitHub connection has read the current user's login.</summary>
    public string? GitHubLogin { get; set; }

    /// <summary>The configured store, opened on first use; a new one when the Store setting changes.</summary>
    public IDeployStore Store
    {
        get
        {
            var location = Configuration.Require(SettingCatalogue.Store);
            var password = Configuration.GetSecret(SettingCatalogue.StorePassword)?.Reveal();
            lock (_gate)
            {
                if (_store is { } open && open.Location == location && open.Password == password)
                {
                    return open.Store;
                }

                var credential = password is null ? null : new NetworkCredential(string.Empty, password);
                var store = DeployStoreFactory.Open(location, credential, Clock);
                _store = (location, password, store);
                return store;
            }
        }
    }

    public ApplicationService Applications => new(Store, Actor);

    public FreezeService Freezes => new(Store, Clock, Actor, Configuration.EnvironmentNames);

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
