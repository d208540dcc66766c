namespace GovukDeploy.Configuration;

/// <summary>A setting the module knows: its name, default, environment variables and how to check a value.</summary>
public sealed class SettingDefinition
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public string? Default { get; init; }
    public string[] EnvironmentVariables { get; init; } = [];

    /// <summary>Secrets come only from environment variables or the session; never from or to the user file.</summary>
    public bool IsSecret { get; init; }

    /// <summary>Returns the value normalised, or throws a GovukDeployException that says what is accepted.</summary>
    public Func<string, string> Normalise { get; init; } = value => value;
}
