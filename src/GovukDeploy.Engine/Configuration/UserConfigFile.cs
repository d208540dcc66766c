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

    /// <summary>The settings in the file, and names in it that are not settings (or are secrets, which it must not hold).</summary>
    public (Dictionary<string, string> Settings, List<string> Ignored) Read()
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var ignored = new List<string>();
        string text;
        try
        {
            if (!File.Exists(Path))
            {
                return (settings, ignored);
            }

            text = File.ReadAllText(Path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ErrorCatalogue.ConfigFileUnreadable(Path, ex.Message, ex);
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(text) as JsonObject
                ?? throw new JsonException("the file does not hold a JSON object");
        }
        catch (JsonException ex)
        {
            throw ErrorCatalogue.ConfigFileCorrupt(Path, ex.Message, ex);
        }

        foreach (var (name, node) in root)
        {
            var definition = SettingCatalogue.Find(name);
            if (definition is null || definition.IsSecret || node is not JsonValue value || !value.TryGetValue(out string? text2))
            {
                ignored.Add(name);
                continue;
            }

            settings[definition.Name] = text2;
        }

        return (settings, ignored);
    }

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
