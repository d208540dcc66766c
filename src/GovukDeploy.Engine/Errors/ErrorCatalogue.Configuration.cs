namespace GovukDeploy.Errors;

/// <summary>Settings: the configuration file, environment variables and the values they hold.</summary>
public static partial class ErrorCatalogue
{
    public static GovukDeployException UnknownSetting(string name, IEnumerable<string> known) => new(
        nameof(UnknownSetting), ErrorKind.InvalidArgument,
        $"'{name}' is not a GovukDeploy setting. Known settings: {List(known)}.", name);

    public static GovukDeployException SettingNotConfigured(string name, IEnumerable<string> environmentVariables) => new(
        nameof(SettingNotConfigured), ErrorKind.InvalidOperation,
        $"{name} is not configured. Set it with 'Set-GovukDeployConfiguration -{name} <value>' (add -Scope User to keep it), or with the environment variable {string.Join(" or ", environmentVariables)}.",
        name);

    public static GovukDeployException EmptySetting(string name) => new(
        nameof(EmptySetting), ErrorKind.InvalidArgument,
        $"{name} cannot be empty. To go back to the default, use Set-GovukDeployConfiguration -Reset {name}.", name);

    /// <summary><paramref name="secrets"/> names what would have been saved; <paramref name="instead"/> says how to give it.</summary>
    public static GovukDeployException SecretNotPersisted(string secrets, string instead, object? target) => new(
        nameof(SecretNotPersisted), ErrorKind.SecurityError,
        $"{secrets} cannot be saved: secrets are never written to the configuration file. {instead} Nothing was changed.", target);

    /// <summary>
    /// A configuration file that cannot be used for any reason (a folder, unreadable, too large, not JSON, a setting
    /// that is not a string or not valid): <paramref name="problem"/> says which, <paramref name="setting"/> names the
    /// setting to blame, if one is.
    /// </summary>
    public static GovukDeployException ConfigFileCorrupt(string path, string problem, string? setting, Exception? inner = null) => new(
        nameof(ConfigFileCorrupt), ErrorKind.InvalidData,
        $"The configuration file '{path}' {problem}, so no command that reads the configuration can go on{(setting is null ? "" : $" (setting {setting})")}. " +
        $"It was left as it is: fix {(setting is null ? "it" : setting)} in the file, or delete the file to start again from the defaults, or point GOVUK_DEPLOY_CONFIG at another file.",
        path, inner);

    public static GovukDeployException ConfigFileUnwritable(string path, string why, Exception? inner = null) => new(
        nameof(ConfigFileUnwritable), ErrorKind.WriteError,
        $"The configuration file '{path}' cannot be written ({why}); it was left as it was. Check the folder's permissions, or point GOVUK_DEPLOY_CONFIG at another file.", path, inner);

    // ---------------------------------------------------------------- values

    /// <summary><paramref name="forbidden"/> says what the value may not carry; the value itself is never shown.</summary>
    public static GovukDeployException CredentialInUrl(string setting, string forbidden) => new(
        nameof(CredentialInUrl), ErrorKind.InvalidArgument,
        $"{setting} must be a plain address, without {forbidden} (the value is not shown). Give credentials through environment variables or the session's credential parameters.",
        setting);

    /// <summary>A value that is a secret is not shown: give null for <paramref name="value"/>.</summary>
    public static GovukDeployException InvalidUrl(string setting, string? value, string advice) => new(
        nameof(InvalidUrl), ErrorKind.InvalidArgument,
        $"{setting} {(value is null ? "(a secret, so not shown)" : $"'{value}'")} is not an absolute http or https URL. {advice}",
        value ?? setting);

    public static GovukDeployException InvalidOrganisation(string value) => new(
        nameof(InvalidOrganisation), ErrorKind.InvalidArgument,
        $"GitHubOrganisation '{Shortened(value)}' is not a GitHub organisation name: use letters, digits and single hyphens, such as 'alphagov'.", Shortened(value));

    /// <summary><paramref name="where"/> names where the zone was given: the TimeZone setting, or an environment's deploy-window policy.</summary>
    public static GovukDeployException UnknownTimeZone(string where, string? value) => new(
        nameof(UnknownTimeZone), ErrorKind.InvalidArgument,
        $"The time zone '{value}' ({where}) is not an IANA time zone. Use a name such as 'Europe/London'.", value);

    /// <summary><paramref name="problem"/>, when known, says what is wrong with the list (a name given twice, no name at all).</summary>
    public static GovukDeployException InvalidEnvironments(string value, string? problem = null) => new(
        nameof(InvalidEnvironments), ErrorKind.InvalidArgument,
        $"Environments '{value}' is not a list of distinct environment names in promotion order{(problem is null ? "" : $" ({problem})")}. " +
        "List each environment once, in promotion order, such as 'integration,staging,production'.", value);

    public static GovukDeployException InvalidNumber(string setting, string value, int max) => new(
        nameof(InvalidNumber), ErrorKind.InvalidArgument,
        $"{setting} '{value}' must be a whole number from 1 to {max}.", value);

    public static GovukDeployException InvalidSlug(string setting, string value) => new(
        nameof(InvalidSlug), ErrorKind.InvalidArgument,
        $"{setting} '{value}' is not a Sentry slug. Use lower-case letters, digits, '-' and '_', such as 'govuk'.", value);

    public static GovukDeployException InvalidSentryProjects(string value) => new(
        nameof(InvalidSentryProjects), ErrorKind.InvalidArgument,
        $"SentryProjects '{value}' is not a list of 'application=project' pairs. Give pairs separated by commas, such as 'contacts-admin=contacts,whitehall=whitehall-admin', each project a Sentry slug.", value);

    public static GovukDeployException InvalidIcingaServiceFilter(string value) => new(
        nameof(InvalidIcingaServiceFilter), ErrorKind.InvalidArgument,
        $"IcingaServiceFilter '{value}' must be one line (at most 1000 characters) that names the application through a filter variable: 'app' (its name) or 'deploy_name', such as 'service.vars.app == app' or 'app in service.vars.apps'.", value);
}
