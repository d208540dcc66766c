namespace GovukDeploy;

/// <summary>One effective setting, as Get-GovukDeployConfiguration shows it.</summary>
public sealed class ConfigurationSetting
{
    public required string Name { get; init; }

    /// <summary>The value; for a secret only "(set)" or "(not set)", never the secret itself.</summary>
    public string? Value { get; init; }
    public SettingSource Source { get; init; }

    /// <summary>Whether anything sets it: a default, the user's file, an environment variable or the session.</summary>
    public bool IsSet => Source != SettingSource.NotSet;
    public bool IsSecret { get; init; }

    /// <summary>The environment variable(s) that can supply it.</summary>
    public string? EnvironmentVariable { get; init; }
    public required string Description { get; init; }

    public override string ToString() => $"{Name} = {Value}";
}
