using System.Management.Automation;
using System.Runtime.CompilerServices;

namespace GovukDeploy.Commands.Loading;

/// <summary>
/// Runs when PowerShell removes the module (Remove-Module, or Import-Module -Force): closes the store
/// and every client the session built, so that importing and removing the module again and again holds
/// no more files or sockets than importing it once. The session's settings stay, as they belong to the process.
/// </summary>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        // A module removed before any command ran never loaded the engine: there is nothing to close.
        if (AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "GovukDeploy.Engine"))
        {
            DisposeEngineServices();
        }
    }

    // Kept apart so that the engine is resolved only when it is already loaded.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DisposeEngineServices() => Session.EngineServices.Current.DisposeServices();
}
