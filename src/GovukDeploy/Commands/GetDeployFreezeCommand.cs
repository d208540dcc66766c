using System.Management.Automation;
using GovukDeploy.Store;

namespace GovukDeploy.Commands;

/// <summary>
/// Lists the freezes in force (global ones included): the store's, and the Release app's flag on every
/// application named (or, without -Application, the whole catalogue). With -IncludeLifted, the store's
/// whole history instead of what is in force.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DeployFreeze", HelpUri = ProjectLinks.DocsRoot + "Get-DeployFreeze.md")]
[OutputType(typeof(DeployFreeze))]
public sealed class GetDeployFreezeCommand : GovukDeployCmdlet
{
    private readonly List<string> _names = [];
    private bool _everyApplication;

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string[]? Application { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string? Environment { get; set; }

    [Parameter]
    public SwitchParameter IncludeLifted { get; set; }

    /// <summary>The store's freezes only: the Release app is not asked.</summary>
    [Parameter]
    public SwitchParameter StoreOnly { get; set; }

    protected override void ProcessRecordCore()
    {
        if (Application is null)
        {
            _everyApplication = true;
        }
        else
        {
            _names.AddRange(Application);
        }
    }

    protected override void EndProcessingCore()
    {
        var environment = Environment is null ? null : Engine.RequireEnvironment(Environment);
        var names = _everyApplication || _names.Count == 0 ? null : _names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        // A pattern is matched against the catalogue; a plain name is taken as given, since an application
        // that has left the catalogue may still be frozen.
        var lookup = Await(ct => Engine.Applications.GetAsync(names, includeRetired: true, cancellationToken: ct));
        foreach (var problem in lookup.Missing.Where(p => p.ErrorId != "ApplicationNotFound"))
        {
            WriteError(ToErrorRecord(problem));
        }
        var storeNames = names?.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).Concat(lookup.Found.Select(a => a.Name))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (storeNames is { Count: 0 })
        {
            return;
        }

        var freezes = Engine.Freezes;
        if (IncludeLifted)
        {
            WriteObject(Await(ct => freezes.GetAsync(storeNames, includeLifted: true, environment, ct)), enumerateCollection: true);
        }

        // The one query of what is frozen now; the Release app is asked about a few applications at a time,
        // and its answers of the last half minute are used again (a listing, not a "may I deploy?").
        var askReleaseApp = !StoreOnly && freezes.HasReleaseApp;
        var snapshot = RunOnPipeline((reporter, ct) =>
        {
            if (askReleaseApp)
            {
                reporter.Verbose($"Asking the Release app about {lookup.Found.Count} application(s), {FreezeService.ReleaseAppConcurrency} at a time.");
            }
            return freezes.InForceAsync(lookup.Found, environment, cached: true, askReleaseApp: askReleaseApp, storeNames: storeNames, allStored: names is null, cancellationToken: ct);
        });
        if (!IncludeLifted)
        {
            WriteObject(snapshot.Stored, enumerateCollection: true);
        }

        foreach (var application in snapshot.ByApplication)
        {
            if (application.ReleaseApp is { } flagged)
            {
                WriteObject(flagged);
            }
            else if (application.ReleaseAppUnknown is { } unknown)
            {
                // Fail closed: say what is not known, and show it in the list, rather than list only the store.
                WriteError(ToErrorRecord(unknown));
                WriteObject(freezes.UnknownMarker(application));
            }
        }
    }
}
