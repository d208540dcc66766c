using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovukDeploy.Errors;
using GovukDeploy.Platform;

namespace GovukDeploy.Configuration;

/// <summary>
/// The per-user settings file: a flat JSON object of setting names and values.
/// Secrets are never read from it or written to it; writes are atomic (a temporary
/// file beside it, then a rename) and the file is readable by its owner only.
/// </summary>
public sealed class UserConfigFile
{
    public UserConfigFile(string path) => Path = path;

    public string Path { get; }

    /// <summary>The largest configuration file read; a flat object of a few dozen settings is a few kilobytes.</summary>
    public const long MaxBytes = 1024 * 1024;

    /// <summary>
    /// The settings in the file, and names in it that are not settings (or are secrets, which it must not hold).
    /// A file that cannot be used (a directory, unreadable, too large, not a JSON object, or a setting that is
    /// not a string) is ConfigFileCorrupt: never skipped, since skipping it would put the defaults (a personal
    /// store, no freezes) in place of what the team configured.
    /// </summary>
    public (Dictionary<string, string> Settings, List<string> Ignored) Read()
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var ignored = new List<string>();
        string text;
        try
        {
            if (Directory.Exists(Path))
            {
                throw Corrupt("is a folder, not a file", null);
            }

            if (!File.Exists(Path))
            {
                return (settings, ignored);
            }

            if (new FileInfo(Path).Length > MaxBytes)
            {
                throw Corrupt($"is larger than {MaxBytes / 1024} KB, far more than any configuration holds", null);
            }

            text = File.ReadAllText(Path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Corrupt($"cannot be read ({ex.Message})", null, ex);
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(text) as JsonObject
                ?? throw new JsonException("the file does not hold a JSON object");
        }
        catch (JsonException ex)
        {
            throw Corrupt($"is not valid JSON ({ex.Message})", null, ex);
        }

        foreach (var (name, node) in root)
        {
            var definition = SettingCatalogue.Find(name);
            if (definition is null || definition.IsSecret)
            {
                ignored.Add(name);
                continue;
            }

            if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String || !value.TryGetValue(out string? settingValue))
            {
                var kind = node?.GetValueKind().ToString().ToLowerInvariant() ?? "null";
                throw Corrupt($"holds {definition.Name} as a JSON {kind}, where a setting is a string (\"{definition.Name}\": \"...\")", definition.Name);
            }

            // Every value is checked as it is read: a bad one anywhere makes the whole file unusable, as a
            // command that happens not to read it today may rely on it tomorrow.
            try
            {
                settings[definition.Name] = definition.Normalise(settingValue);
            }
            catch (GovukDeployException ex)
            {
                throw Corrupt($"holds a {definition.Name} that cannot be used ({ex.Message})", definition.Name, ex);
            }
        }

        return (settings, ignored);
    }

    /// <summary>ConfigFileCorrupt, naming the file and (where one is to blame) the setting.</summary>
    public GovukDeployException Corrupt(string problem, string? setting, Exception? inner = null) =>
        ErrorCatalogue.ConfigFileCorrupt(Path, problem, setting, inner);

    /// <summary>Replaces the file's content atomically with these settings.</summary>
    public void Write(IReadOnlyDictionary<string, string> settings)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            if (!Directory.Exists(directory))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(directory);
                }
                else
                {
                    Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            var root = new JsonObject();
            foreach (var (name, value) in settings.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                root[name] = value;
            }

            // Restrict the temporary file before any content is in it.
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                PlatformPaths.RestrictToOwner(temporary);
                using var writer = new StreamWriter(stream, new UTF8Encoding(false));
                writer.Write(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ErrorCatalogue.ConfigFileUnwritable(Path, ex.Message, ex);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
