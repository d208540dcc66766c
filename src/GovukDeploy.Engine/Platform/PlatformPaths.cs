namespace GovukDeploy.Platform;

/// <summary>
/// Where the module keeps its files, following each platform's convention:
/// XDG base directories on Linux and macOS, %APPDATA% / %LOCALAPPDATA% on Windows.
/// Nothing here creates a directory; callers create what they write.
/// </summary>
public static class PlatformPaths
{
    private const string AppFolder = "GovukDeploy";

    /// <summary>The user configuration file (GOVUK_DEPLOY_CONFIG overrides it).</summary>
    public static string ConfigFile =>
        NonEmpty(Environment.GetEnvironmentVariable("GOVUK_DEPLOY_CONFIG"))
        ?? Path.Combine(ConfigDirectory, "config.json");

    public static string ConfigDirectory => Path.Combine(
        OperatingSystem.IsWindows()
            ? Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData)
            : NonEmpty(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME")) ?? Path.Combine(Home, ".config"),
        AppFolder);

    public static string DataDirectory => Path.Combine(
        OperatingSystem.IsWindows()
            ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : NonEmpty(Environment.GetEnvironmentVariable("XDG_DATA_HOME")) ?? Path.Combine(Home, ".local", "share"),
        AppFolder);

    public static string CacheDirectory => Path.Combine(
        OperatingSystem.IsWindows()
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), AppFolder, "Cache")
            : Path.Combine(NonEmpty(Environment.GetEnvironmentVariable("XDG_CACHE_HOME")) ?? Path.Combine(Home, ".cache"), AppFolder));

    private static string Home => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>Restricts a file to its owner (0600) on Unix; a no-op on Windows, where the profile folder is already private.</summary>
    public static void RestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
