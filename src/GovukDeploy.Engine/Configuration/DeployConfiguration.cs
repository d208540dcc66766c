using System.Collections.Concurrent;
using GovukDeploy.Errors;
using GovukDeploy.Platform;

namespace GovukDeploy.Configuration;

/// <summary>
/// The effective configuration: session &gt; environment variable &gt; user file &gt; default.
/// The session layer lives as long as the process; the user file is read when
/// a setting is first needed (never at import) and again whenever it changes on disk.
/// </summary>
public sealed class DeployConfiguration
{
    private readonly ConcurrentDictionary<string, string> _session = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Secret> _sessionSecrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly Func<string, string?> _environment;
    private readonly Func<string> _configPath;
    private readonly object _fileLock = new();
    private (string Path, DateTime Stamp, Dictionary<string, string> Settings, List<string> Ignored)? _cachedFile;

    public DeployConfiguration(Func<string, string?>? environment = null, Func<string>? configPath = null)
    {
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _configPath = configPath ?? (() => PlatformPaths.ConfigFile);
    }

    /// <summary>The configuration of this PowerShell process.</summary>
    public static DeployConfiguration Current { get; } = new();

    public string UserFilePath => _configPath();

    /// <summary>Names in the user file that were ignored (not settings, or secrets that must not be there).</summary>
    public IReadOnlyList<string> IgnoredUserFileNames => ReadUserFile().Ignored;

    public string? Get(string name) => Resolve(Definition(name)).Value;

    public string Require(string name) => Get(name) ?? throw ErrorCatalogue.SettingNotConfigured(name, Definition(name).EnvironmentVariables);

    public Secret? GetSecret(string name)
    {
        var definition = Definition(name);
        if (_sessionSecrets.TryGetValue(definition.Name, out var secret))
        {
            return secret;
        }

        foreach (var variable in definition.EnvironmentVariables)
        {
            var value = _environment(variable);
            if (!string.IsNullOrEmpty(value))
            {
                return new Secret(value);
            }
        }

        return null;
    }

    /// <summary>
    /// A digest of every effective setting and secret: the same while nothing a service is built from has
    /// changed (in the session, the environment or the user file), so services live once per settings snapshot.
    /// </summary>
    public string Fingerprint()
    {
        var text = new System.Text.StringBuilder();
        foreach (var definition in SettingCatalogue.All)
        {
            text.Append(definition.Name).Append('=').Append(definition.IsSecret ? GetSecret(definition.Name)?.Reveal() : Get(definition.Name)).Append('\n');
        }

        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
    }

    public IReadOnlyList<string> EnvironmentNames => Require(SettingCatalogue.Environments).Split(',');

    /// <summary>Every setting with its effective value and source; secrets only as set or not set.</summary>
    public IReadOnlyList<ConfigurationSetting> Describe() => SettingCatalogue.All.Select(Describe).ToList();

    public ConfigurationSetting Describe(SettingDefinition definition)
    {
        string? shown;
        SettingSource source;
        if (definition.IsSecret)
        {
            source = _sessionSecrets.ContainsKey(definition.Name) ? SettingSource.Session
                : definition.EnvironmentVariables.Any(v => !string.IsNullOrEmpty(_environment(v))) ? SettingSource.EnvironmentVariable
                : SettingSource.NotSet;
            shown = source == SettingSource.NotSet ? "(not set)" : "(set)";
        }
        else
        {
            (shown, source) = Resolve(definition);
            if (shown is not null && definition.Name == SettingCatalogue.Store)
            {
                shown = StoreValue.Redact(shown);
            }
        }

        return new ConfigurationSetting
        {
            Name = definition.Name,
            Value = shown,
            Source = source,
            IsSecret = definition.IsSecret,
            EnvironmentVariable = definition.EnvironmentVariables.Length == 0 ? null : string.Join(", ", definition.EnvironmentVariables),
            Description = definition.Description,
        };
    }

    /// <summary>Checks every value first; only when all are good is anything changed.</summary>
    public void SetSession(IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, Secret>? secrets = null)
    {
        var normalised = NormaliseAll(values);
        var checkedSecrets = CheckSecrets(secrets);
        foreach (var (name, value) in normalised)
        {
            _session[name] = value;
        }

        foreach (var (name, secret) in checkedSecrets)
        {
            _sessionSecrets[name] = secret;
        }
    }

    /// <summary>Writes the values to the user file; the file is untouched if any value (or the file itself) is bad.</summary>
    public void SetUser(IReadOnlyDictionary<string, string> values)
    {
        var normalised = NormaliseAll(values);
        foreach (var (name, value) in normalised)
        {
            if (name == SettingCatalogue.Store && StoreValue.HasPassword(value))
            {
                throw ErrorCatalogue.SecretNotPersisted("The password in the Store value",
                    "Leave the password out of -Store and give it with PGPASSWORD or -StoreCredential.", StoreValue.Redact(value));
            }
        }

        lock (_fileLock)
        {
            var file = new UserConfigFile(UserFilePath);
            var (settings, _) = file.Read();
            foreach (var (name, value) in normalised)
            {
                settings[name] = value;
            }

            file.Write(settings);
            _cachedFile = null;
        }
    }

    /// <summary>The session layer's values (and secrets) for some settings, to put back later with RestoreSession.</summary>
    public IReadOnlyDictionary<string, object?> CaptureSession(IEnumerable<string> names) =>
        names.Select(Definition).ToDictionary(
            d => d.Name,
            d => _sessionSecrets.TryGetValue(d.Name, out var secret) ? secret : (object?)_session.GetValueOrDefault(d.Name),
            StringComparer.OrdinalIgnoreCase);

    /// <summary>Puts the session layer back as CaptureSession found it.</summary>
    public void RestoreSession(IReadOnlyDictionary<string, object?> captured)
    {
        foreach (var (name, value) in captured)
        {
            _session.TryRemove(name, out _);
            _sessionSecrets.TryRemove(name, out _);
            switch (value)
            {
                case Secret secret:
                    _sessionSecrets[name] = secret;
                    break;
                case string text:
                    _session[name] = text;
                    break;
            }
        }
    }

    /// <summary>Forgets session values (and secrets) so that the lower layers show through again.</summary>
    public void ResetSession(IEnumerable<string> names)
    {
        foreach (var definition in names.Select(Definition))
        {
            _session.TryRemove(definition.Name, out _);
            _sessionSecrets.TryRemove(definition.Name, out _);
        }
    }

    /// <summary>Removes settings from the user file.</summary>
    public void ResetUser(IEnumerable<string> names)
    {
        var definitions = names.Select(Definition).ToList();
        lock (_fileLock)
        {
            var file = new UserConfigFile(UserFilePath);
            var (settings, _) = file.Read();
            if (definitions.Any(d => settings.Remove(d.Name)))
            {
                file.Write(settings);
            }

            _cachedFile = null;
        }
    }

    public static SettingDefinition Definition(string name) => SettingCatalogue.Find(name) ?? throw ErrorCatalogue.UnknownSetting(name, SettingCatalogue.All.Select(d => d.Name));

    private (string? Value, SettingSource Source) Resolve(SettingDefinition definition)
    {
        if (definition.IsSecret)
        {
            throw new InvalidOperationException($"{definition.Name} is a secret; read it with GetSecret.");
        }

        if (_session.TryGetValue(definition.Name, out var sessionValue))
        {
            return (sessionValue, SettingSource.Session);
        }

        foreach (var variable in definition.EnvironmentVariables)
        {
            var value = _environment(variable);
            if (!string.IsNullOrWhiteSpace(value))
            {
                // A bad environment value is reported where it is used, naming the variable.
                try
                {
                    return (definition.Normalise(value), SettingSource.EnvironmentVariable);
                }
                catch (GovukDeployException ex)
                {
                    throw ex.Restated($"Environment variable {variable}: {ex.Message}", ex.Target);
                }
            }
        }

        if (ReadUserFile().Settings.TryGetValue(definition.Name, out var fileValue))
        {
            try
            {
                return (definition.Normalise(fileValue), SettingSource.UserFile);
            }
            catch (GovukDeployException ex)
            {
                // A value the file holds but no command may use is the file's fault: the same error as any other corruption.
                throw new UserConfigFile(UserFilePath).Corrupt($"holds a {definition.Name} that cannot be used ({ex.Message})", definition.Name, ex);
            }
        }

        return definition.Default is null ? (null, SettingSource.NotSet) : (definition.Default, SettingSource.Default);
    }

    private (Dictionary<string, string> Settings, List<string> Ignored) ReadUserFile()
    {
        lock (_fileLock)
        {
            var path = UserFilePath;
            var stamp = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
            if (_cachedFile is { } cached && cached.Path == path && cached.Stamp == stamp)
            {
                return (cached.Settings, cached.Ignored);
            }

            var (settings, ignored) = new UserConfigFile(path).Read();
            _cachedFile = (path, stamp, settings, ignored);
            return (settings, ignored);
        }
    }

    private static Dictionary<string, string> NormaliseAll(IReadOnlyDictionary<string, string> values)
    {
        var normalised = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values)
        {
            var definition = Definition(name);
            if (definition.IsSecret)
            {
                throw ErrorCatalogue.SecretNotPersisted(definition.Name,
                    $"Give it as a SecureString parameter for this session, or with {string.Join(" or ", definition.EnvironmentVariables)}.", definition.Name);
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                throw ErrorCatalogue.EmptySetting(definition.Name);
            }

            normalised[definition.Name] = definition.Normalise(value.Trim());
        }

        return normalised;
    }

    private static Dictionary<string, Secret> CheckSecrets(IReadOnlyDictionary<string, Secret>? secrets)
    {
        var checkedSecrets = new Dictionary<string, Secret>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, secret) in secrets ?? new Dictionary<string, Secret>())
        {
            var definition = Definition(name);
            if (!definition.IsSecret)
            {
                throw new ArgumentException($"{name} is not a secret setting.", nameof(secrets));
            }

            definition.Normalise(secret.Reveal());
            checkedSecrets[definition.Name] = secret;
        }

        return checkedSecrets;
    }
}
