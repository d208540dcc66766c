using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace GovukDeploy.Commands.Loading;

/// <summary>
/// Runs when PowerShell imports the module. It only teaches the default load
/// context where the engine is: no network, no store, no file writes at import.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private const string EngineAssemblyName = "GovukDeploy.Engine";

    private static readonly string DependencyDirectory = Path.Combine(
        Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "Dependencies");

    private static readonly Lazy<DependencyLoadContext> LoadContext =
        new(() => new DependencyLoadContext(DependencyDirectory));

    private static int _registered;

    public void OnImport()
    {
        // Imported again in the same process (Import-Module -Force): the handler is already there.
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += ResolveEngine;
        }
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name)
    {
        // Only the engine is bridged into the default context; its own
        // dependencies are found by the module's context when the engine asks.
        return string.Equals(name.Name, EngineAssemblyName, StringComparison.Ordinal)
            ? LoadContext.Value.LoadFromAssemblyName(name)
            : null;
    }
}
