using System.Text.RegularExpressions;
using GovukDeploy.Errors;
using NodaTime;

namespace GovukDeploy.Configuration;

/// <summary>Checks for setting values; each failure names the value and says what is accepted.</summary>
public static partial class SettingValidators
{
    public const string EnvironmentPlaceholder = "{environment}";

    /// <summary>An absolute http or https URL; the result always ends in a slash so relative paths append.</summary>
    public static string HttpUrl(string setting, string value, bool allowEnvironmentPlaceholder = false)
    {
        // A URL may carry a token (user info, or a query string): check for that first, so that no message repeats it.
        if (value.Contains('@') || value.Contains('?'))
        {
            throw ErrorCatalogue.CredentialInUrl(setting, "a user name, password or query string, which may hold a token");
        }

        var probe = allowEnvironmentPlaceholder
            ? value.Replace(EnvironmentPlaceholder, "environment", StringComparison.OrdinalIgnoreCase)
            : value;
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            var extra = allowEnvironmentPlaceholder ? $" It may contain {EnvironmentPlaceholder}, replaced by the environment's name." : "";
            throw ErrorCatalogue.InvalidUrl(setting, value, $"Give a URL such as 'https://example.gov.uk/'.{extra}");
        }

        return value.EndsWith('/') ? value : value + "/";
    }

    /// <summary>A URL that is itself a secret (a Slack webhook), so the message never repeats it.</summary>
    public static string SecretHttpsUrl(string setting, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw ErrorCatalogue.InvalidUrl(setting, null, "Give the full webhook URL.");
        }

        return value;
    }

    public static string GitHubOrganisation(string value)
    {
        if (!OrganisationPattern().IsMatch(value))
        {
            throw ErrorCatalogue.InvalidOrganisation(value);
        }

        return value;
    }

    public static string TimeZone(string value)
    {
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(value) is null)
        {
            throw ErrorCatalogue.UnknownTimeZone("the TimeZone setting", value);
        }

        return value;
    }

    public static string JobName(string setting, string value)
    {
        // A job may live in folders: "Deploy_App" or "deploy/Deploy_App".
        if (!JobPattern().IsMatch(value))
        {
            throw ErrorCatalogue.InvalidJobName(setting, value);
        }

        return value.Trim('/');
    }

    public static string Environments(string value)
    {
        var names = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0 || names.Any(n => !EnvironmentPattern().IsMatch(n)) ||
            names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Length)
        {
            throw ErrorCatalogue.InvalidEnvironments(value);
        }

        return string.Join(',', names.Select(n => n.ToLowerInvariant()));
    }

    public static string PositiveInteger(string setting, string value, int max)
    {
        if (!int.TryParse(value, out var number) || number < 1 || number > max)
        {
            throw ErrorCatalogue.InvalidNumber(setting, value, max);
        }

        return number.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A Sentry slug (organisation or project): lower-case letters, digits, '-' and '_'.</summary>
    public static string Slug(string setting, string value)
    {
        if (!SlugPattern().IsMatch(value))
        {
            throw ErrorCatalogue.InvalidSlug(setting, value);
        }

        return value;
    }

    /// <summary>'application=project' pairs, comma-separated; the projects are Sentry slugs.</summary>
    public static string SentryProjects(string value)
    {
        var pairs = new List<string>();
        foreach (var pair in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || !SlugPattern().IsMatch(parts[1]))
            {
                throw ErrorCatalogue.InvalidSentryProjects(value);
            }

            pairs.Add($"{parts[0]}={parts[1]}");
        }

        return string.Join(',', pairs);
    }

    /// <summary>
    /// An Icinga filter that names the application through a filter variable, never by its value: without
    /// 'app' or 'deploy_name' it would select every service in the environment.
    /// </summary>
    public static string IcingaServiceFilter(string value)
    {
        if (value.Length > 1000 || value.Any(char.IsControl) || !FilterNamesApplication().IsMatch(value))
        {
            throw ErrorCatalogue.InvalidIcingaServiceFilter(value);
        }

        return value;
    }

    public const string ApplicationPlaceholder = "{application}";

    /// <summary>An http(s) address with '{application}' and '{environment}' to fill in; a query string is allowed, user info is not.</summary>
    public static string DashboardUrl(string value)
    {
        var probe = value.Replace(ApplicationPlaceholder, "application", StringComparison.OrdinalIgnoreCase)
            .Replace(EnvironmentPlaceholder, "environment", StringComparison.OrdinalIgnoreCase);
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw ErrorCatalogue.InvalidUrl("DashboardUrl", value, "Give a URL such as 'https://grafana.example/d/deploys?var-app={application}&var-env={environment}'.");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw ErrorCatalogue.CredentialInUrl(SettingCatalogue.DashboardUrl, "a user name or password");
        }

        return value;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,49}$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex(@"(?<![.\w""])(app|deploy_name)(?![\w""])")]
    private static partial Regex FilterNamesApplication();

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")]
    private static partial Regex OrganisationPattern();

    [GeneratedRegex("^/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*/?$")]
    private static partial Regex JobPattern();

    [GeneratedRegex("^[a-z][a-z0-9-]*$", RegexOptions.IgnoreCase)]
    private static partial Regex EnvironmentPattern();
}
