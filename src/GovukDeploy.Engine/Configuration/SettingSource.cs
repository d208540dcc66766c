using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace GovukDeploy;

/// <summary>Where an effective setting came from, lowest precedence first.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum SettingSource
{
    NotSet,
    Default,
    UserFile,
    EnvironmentVariable,
    Session,
}
