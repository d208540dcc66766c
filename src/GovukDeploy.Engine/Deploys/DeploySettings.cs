using GovukDeploy.Configuration;

namespace GovukDeploy.Deploys;

/// <summary>The deploy-related configuration: job names and the environments in promotion order.</summary>
public sealed record DeploySettings
{
    public string DeployJobName { get; init; } = "Deploy_App";
    public string SmokeTestJobName { get; init; } = "Smokey";
    public IReadOnlyList<string> Environments { get; init; } = EnvironmentPolicy.Default.Names;

    /// <summary>How long a deploy lock is held at most; the in-progress record guards a deploy after that.</summary>
    public TimeSpan LockLease { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often a deploy renews its lock; one silent for twice this long is taken over (DeployLockRenewalSeconds).</summary>
    public TimeSpan LockRenewalInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many of the app's newest successful deploys give the expected duration (their median).</summary>
    public int DurationSamples { get; init; } = 5;

    /// <summary>How long Stop-Deployment waits for Jenkins to say that the build it was asked to stop has ended.</summary>
    public TimeSpan StopConfirmTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How many console lines a failed deploy's error carries.</summary>
    public int FailureTailLines { get; init; } = 20;

    public static DeploySettings FromConfiguration(DeployConfiguration configuration) => new()
    {
        DeployJobName = configuration.Require(SettingCatalogue.DeployJobName),
        SmokeTestJobName = configuration.Require(SettingCatalogue.SmokeTestJobName),
        Environments = configuration.EnvironmentNames,
        LockRenewalInterval = TimeSpan.FromSeconds(int.Parse(configuration.Require(SettingCatalogue.DeployLockRenewalSeconds), System.Globalization.CultureInfo.InvariantCulture)),
    };
}
