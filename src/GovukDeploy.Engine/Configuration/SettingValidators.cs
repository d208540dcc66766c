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
            throw new GovukDeployException("CredentialInUrl", ErrorKind.InvalidArgument,
                $"{setting} must be a plain address, without a user name, password or query string (which may hold a token; the value is not shown). Give credentials through environment variables or the session's credential parameters.",
                setting);
        }

        var probe = allowEnvironmentPlaceholder
            ? value.Replace(EnvironmentPlaceholder, "environment", StringComparison.OrdinalIgnoreCase)
            : value;
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            var extra = allowEnvironmentPlaceholder ? $" It may contain {EnvironmentPlaceholder}, replaced by the environment's name." : "";
            throw new GovukDeployException("InvalidUrl", ErrorKind.InvalidArgument,
                $"{setting} '{value}' is not an absolute http or https URL. Give a URL such as 'https://example.gov.uk/'.{extra}", value);
        }

        return value.EndsWith('/') ? value : value + "/";
    }

    /// <summary>A URL that is itself a secret (a Slack webhook), so the message never repeats it.</summary>
    public static string SecretHttpsUrl(string setting, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new GovukDeployException("InvalidUrl", ErrorKind.InvalidArgument,
                $"{setting} is not an absolute http or https URL (the value is a secret, so it is not shown). Give the full webhook URL.", setting);
        }

        return value;
    }

    public static string GitHubOrganisation(string value)
    {
        if (!OrganisationPattern().IsMatch(value))
        {
            throw new GovukDeployException("InvalidOrganisation", ErrorKind.InvalidArgument,
                $"GitHubOrganisation '{value}' is not a GitHub organisation name: use letters, digits and single hyphens, such as 'alphagov'.", value);
        }

        return value;
    }

    public static string TimeZone(string value)
    {
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(value) is null)
        {
            throw new GovukDeployException("UnknownTimeZone", ErrorKind.InvalidArgument,
                $"TimeZone '{value}' is not an IANA time zone. Use a name such as 'Europe/London'.", value);
        }

        return value;
    }

    public static string JobName(string setting, string value)
    {
        // A job may live in folders: "Deploy_App" or "deploy/Deploy_App".
        if (!JobPattern().IsMatch(value))
        {
            throw new GovukDeployException("InvalidJobName", ErrorKind.InvalidArgument,
                $"{setting} '{value}' is not a Jenkins job name. Use the job's name, with folders separated by '/', such as 'Deploy_App' or 'deploy/Deploy_App'.", value);
        }

        return value.Trim('/');
    }

    public static string Environments(string value)
    {
        var names = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0 || names.Any(n => !EnvironmentPattern().IsMatch(n)) ||
            names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Length)
        {
            throw new GovukDeployException("InvalidEnvironments", ErrorKind.InvalidArgument,
                $"Environments '{value}' is not a list of distinct environment names in promotion order, such as 'integration,staging,production'.", value);
        }

        return string.Join(',', names.Select(n => n.ToLowerInvariant()));
    }

    public static string PositiveInteger(string setting, string value, int max)
    {
        if (!int.TryParse(value, out var number) || number < 1 || number > max)
        {
            throw new GovukDeployException("InvalidNumber", ErrorKind.InvalidArgument,
                $"{setting} '{value}' must be a whole number from 1 to {max}.", value);
        }

        return number.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A Sentry slug (organisation or project): lower-case letters, digits, '-' and '_'.</summary>
    public static string Slug(string setting, string value)
    {
        if (!SlugPattern().IsMatch(value))
        {
            throw new GovukDeployException("InvalidSlug", ErrorKind.InvalidArgument,
                $"{setting} '{value}' is not a Sentry slug. Use lower-case letters, digits, '-' and '_', such as 'govuk'.", value);
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
                throw new GovukDeployException("InvalidSentryProjects", ErrorKind.InvalidArgument,
                    $"SentryProjects '{value}' is not a list of 'application=project' pairs. Give pairs separated by commas, such as 'contacts-admin=contacts,whitehall=whitehall-admin', each project a Sentry slug.", value);
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
            throw new GovukDeployException("InvalidIcingaServiceFilter", ErrorKind.InvalidArgument,
                $"IcingaServiceFilter '{value}' must be one line (at most 1000 characters) that names the application through a filter variable: 'app' (its name) or 'deploy_name', such as 'service.vars.app == app' or 'app in service.vars.apps'.", value);
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
            throw new GovukDeployException("InvalidUrl", ErrorKind.InvalidArgument,
                $"DashboardUrl '{value}' is not an absolute http or https URL. Give a URL such as 'https://grafana.example/d/deploys?var-app={{application}}&var-env={{environment}}'.", value);
        }

        if (uri.UserInfo.Length > 0)
        {
            throw new GovukDeployException("CredentialInUrl", ErrorKind.InvalidArgument,
                "DashboardUrl must not hold a user name or password (the value is not shown). A dashboard link is for a person to open.", SettingCatalogue.DashboardUrl);
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
