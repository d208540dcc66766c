using System.Management.Automation;
using GovukDeploy.Store;

namespace GovukDeploy.Commands;

/// <summary>Reads the audit log: who changed what, and when.</summary>
[Cmdlet(VerbsCommon.Get, "AuditEvent", HelpUri = ProjectLinks.DocsRoot + "Get-AuditEvent.md")]
[OutputType(typeof(AuditEvent))]
public sealed class GetAuditEventCommand : GovukDeployCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string[]? Application { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public DateTimeOffset? Since { get; set; }

    [Parameter]
    [ValidateSet(AuditKinds.ApplicationAdded, AuditKinds.ApplicationChanged, AuditKinds.ApplicationRemoved, AuditKinds.FreezeSet,
        AuditKinds.FreezeLifted, AuditKinds.DeployStarted, AuditKinds.DeployFinished, AuditKinds.GateOverridden, AuditKinds.DeployLockTakenOver,
        AuditKinds.RollbackStarted, AuditKinds.ConfidentialModeOn, AuditKinds.ConfidentialModeOff, AuditKinds.ConfidentialOverride)]
    public string[]? Kind { get; set; }

    /// <summary>Only the newest N events.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Last { get; set; }

    protected override void ProcessRecordCore()
    {
        // A pattern is matched against the catalogue (retired applications too); a plain name is taken as given, since a removed application keeps its history.
        var (names, problems) = Await(ct => Engine.Applications.ExpandPatternsAsync(Application, ct));
        foreach (var problem in problems)
        {
            WriteError(ToErrorRecord(problem));
        }
        if (names is { Count: 0 })
        {
            return;
        }

        var query = new AuditQuery { Applications = names, Since = Since, Kinds = Kind, Last = Last };
        WriteObject(Await(ct => Engine.Store.GetAuditEventsAsync(query, ct)), enumerateCollection: true);
    }
}
