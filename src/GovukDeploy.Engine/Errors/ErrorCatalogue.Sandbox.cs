namespace GovukDeploy.Errors;

/// <summary>Starting the local sandbox (Start-GovukDeploySandbox).</summary>
public static partial class ErrorCatalogue
{
    public static GovukDeployException SandboxAlreadyRunning(string baseUrl, int processId) => new(
        nameof(SandboxAlreadyRunning), ErrorKind.ResourceExists,
        $"A sandbox is already running at {baseUrl} (process {processId}). Stop it with Stop-GovukDeploySandbox first.", baseUrl);

    public static GovukDeployException SandboxNotInstalled(string serverAssembly) => new(
        nameof(SandboxNotInstalled), ErrorKind.NotInstalled,
        $"The sandbox server is not in this copy of the module ({serverAssembly}). Build the module with 'dotnet pwsh ./build.ps1 Build'.", serverAssembly);

    /// <summary><paramref name="output"/> is what the sandbox wrote to its error stream, if anything.</summary>
    public static GovukDeployException SandboxDidNotStart(string serverAssembly, string why, string? output) => new(
        nameof(SandboxDidNotStart), ErrorKind.ResourceUnavailable,
        $"The sandbox did not start: {why}.{(string.IsNullOrWhiteSpace(output) ? "" : " It said: " + output.Trim())} " +
        "Check that the .NET runtime (with ASP.NET Core) is installed, then run Start-GovukDeploySandbox again.",
        serverAssembly);
}
