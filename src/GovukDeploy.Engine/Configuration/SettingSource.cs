namespace GovukDeploy;

/// <summary>Where an effective setting came from, lowest precedence first.</summary>
public enum SettingSource
{
    NotSet,
    Default,
    UserFile,
    EnvironmentVariable,
    Session,
}
