using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GovukDeploy;

/// <summary>
/// Opens an address in the user's browser: $BROWSER when it is set (as on Linux), else the system's way
/// (Windows' shell, macOS' open, or xdg-open where there is a display). Where there is no browser, or
/// GOVUK_DEPLOY_NO_BROWSER is set, says so,
/// and the caller prints the address instead. Only http(s) addresses are opened, and never through a shell.
/// </summary>
public static class Browser
{
    /// <summary>Whether the address was handed to a browser; <paramref name="why"/> says why not.</summary>
    public static bool TryOpen(string url, out string why)
    {
        if (SafeUrl.Http(url) is not { } safe)
        {
            why = "it is not an http or https address";
            return false;
        }

        if (Forbidden())
        {
            why = $"no browser is opened while {NoBrowserVariable} is set";
            return false;
        }

        if (Command() is not { } command)
        {
            why = "this machine has no browser to open (no BROWSER setting, and no display)";
            return false;
        }

        try
        {
            var start = command.ShellExecute
                ? new ProcessStartInfo(safe) { UseShellExecute = true }
                : new ProcessStartInfo(command.Program) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            if (!command.ShellExecute)
            {
                start.ArgumentList.Add(safe);
            }

            using var process = Process.Start(start);
            why = "";
            return process is not null || command.ShellExecute;
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            why = $"the browser could not be started ({e.Message})";
            return false;
        }
    }

    private sealed record BrowserCommand(string Program, bool ShellExecute);

    /// <summary>Set (to anything but 0 or false) where no browser may ever be opened: CI, tests, a shared host.</summary>
    public const string NoBrowserVariable = "GOVUK_DEPLOY_NO_BROWSER";

    private static bool Forbidden() =>
        Environment.GetEnvironmentVariable(NoBrowserVariable)?.Trim() is { Length: > 0 } noBrowser &&
        noBrowser is not "0" && !noBrowser.Equals("false", StringComparison.OrdinalIgnoreCase);

    private static BrowserCommand? Command()
    {

        // BROWSER may list several commands separated by ':'; the first is used, given the address as its one argument.
        var configured = Environment.GetEnvironmentVariable("BROWSER")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (!string.IsNullOrEmpty(configured))
        {
            return new BrowserCommand(configured, ShellExecute: false);
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return new BrowserCommand("", ShellExecute: true);
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            return new BrowserCommand("open", ShellExecute: false);
        }

        var display = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY"));
        return display && OnPath("xdg-open") is { } xdgOpen ? new BrowserCommand(xdgOpen, ShellExecute: false) : null;
    }

    private static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}
