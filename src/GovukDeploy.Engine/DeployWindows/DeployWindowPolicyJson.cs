using System.Text.Json;
using GovukDeploy.Errors;

namespace GovukDeploy.DeployWindows;

/// <summary>
/// The DeployWindowPolicies setting: a JSON object of environment name to policy, e.g.
/// {"staging": {"TimeZone": "Europe/London", "Hours": [{"Days": ["Monday"], "Opens": "10:00", "Closes": "16:00"}]}}.
/// Environments it does not name keep GOV.UK's defaults.
/// </summary>
public static class DeployWindowPolicyJson
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public static IReadOnlyDictionary<string, DeployWindowPolicySettings> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new Dictionary<string, DeployWindowPolicySettings>();
        }

        Dictionary<string, DeployWindowPolicySettings>? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<Dictionary<string, DeployWindowPolicySettings>>(json, Options);
        }
        catch (JsonException ex)
        {
            throw ErrorCatalogue.InvalidWindowPolicy(null,
                $"it is not a JSON object of environment names to policies ({ex.Message}). Give, for example, {{\"staging\": {{\"Hours\": [{{\"Days\": [\"Monday\"], \"Opens\": \"09:30\", \"Closes\": \"17:00\"}}]}}}}.",
                json, ex);
        }

        return new Dictionary<string, DeployWindowPolicySettings>(parsed ?? [], StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Checks the whole setting (every environment's policy) and returns it unchanged.</summary>
    public static string Validate(string json)
    {
        DeployWindowPolicy.Build(Parse(json));
        return json;
    }
}
