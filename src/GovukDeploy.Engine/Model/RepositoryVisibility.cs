using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace GovukDeploy;

/// <summary>What GitHub says of a repository's visibility (private and visibility on GET /repos/{owner}/{repo}).</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum RepositoryVisibility
{
    /// <summary>Not known: GitHub could not be asked, or did not say. Never taken to mean private.</summary>
    Unknown,
    Public,
    Private,

    /// <summary>GitHub Enterprise: visible to the enterprise's members only, so not public.</summary>
    Internal,
}
