using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace GovukDeploy.Commands.Loading;

/// <summary>
/// The module's own load context. The engine and every third-party assembly it
/// uses load here from the Dependencies folder, so another module's copy of
/// NodaTime, Octokit or a database driver (Az ships its own) never clashes with
/// ours. Native libraries (SQLite's e_sqlite3) resolve from
/// Dependencies/runtimes/&lt;rid&gt;/native for the running platform.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private static readonly HashSet<string> FrameworkAssemblies = ReadFrameworkAssemblyNames();

    private readonly string _dependencyDirectory;

    public DependencyLoadContext(string dependencyDirectory)
        : base("GovukDeploy", isCollectible: false)
    {
        _dependencyDirectory = dependencyDirectory;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Assemblies of the shared framework stay shared: types such as
        // System.Diagnostics.Activity must have one identity in the process.
        if (assemblyName.Name is null || FrameworkAssemblies.Contains(assemblyName.Name))
        {
            return null;
        }

        var candidate = Path.Combine(_dependencyDirectory, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (var rid in RuntimeIdentifiers())
        {
            var nativeDirectory = Path.Combine(_dependencyDirectory, "runtimes", rid, "native");
            foreach (var fileName in NativeFileNames(unmanagedDllName))
            {
                var candidate = Path.Combine(nativeDirectory, fileName);
                if (File.Exists(candidate))
                {
                    return LoadUnmanagedDllFromPath(candidate);
                }
            }
        }

        return IntPtr.Zero;
    }

    /// <summary>The runtime identifiers to probe, most specific first.</summary>
    internal static IEnumerable<string> RuntimeIdentifiers()
    {
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        };

        if (OperatingSystem.IsWindows())
        {
            yield return $"win-{arch}";
        }
        else if (OperatingSystem.IsMacOS())
        {
            yield return $"osx-{arch}";
        }
        else
        {
            if (IsMusl())
            {
                yield return $"linux-musl-{arch}";
            }

            yield return $"linux-{arch}";
        }

        yield return RuntimeInformation.RuntimeIdentifier;
    }

    private static IEnumerable<string> NativeFileNames(string name)
    {
        yield return name;
        if (OperatingSystem.IsWindows())
        {
            yield return name + ".dll";
        }
        else if (OperatingSystem.IsMacOS())
        {
            yield return "lib" + name + ".dylib";
            yield return name + ".dylib";
        }
        else
        {
            yield return "lib" + name + ".so";
            yield return name + ".so";
        }
    }

    private static bool IsMusl() =>
        RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.OrdinalIgnoreCase);

    private static HashSet<string> ReadFrameworkAssemblyNames()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
        {
            foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                names.Add(Path.GetFileNameWithoutExtension(path));
            }
        }

        return names;
    }
}
