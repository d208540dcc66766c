using System.Management.Automation;
using GovukDeploy.Catalogue;
using GovukDeploy.Confidential;
using GovukDeploy.Errors;

namespace GovukDeploy.Commands;

/// <summary>
/// Changes one application's repository, deploy name, team, type, release pattern or retirement, and turns
/// its confidential mode (for a security incident) on or off, audited with the reason.
/// </summary>
[Cmdlet(VerbsCommon.Set, "Application", SupportsShouldProcess = true, HelpUri = ProjectLinks.DocsRoot + "Set-Application.md")]
[OutputType(typeof(Application))]
public sealed class SetApplicationCommand : GovukDeployCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string? Name { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Repository { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DeployName { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TeamCompleter))]
    public string? Team { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Type { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReleaseTagPattern { get; set; }

    [Parameter]
    public bool? Retired { get; set; }

    /// <summary>-Confidential turns confidential mode on (with -Reason); -Confidential:$false turns it off.</summary>
    [Parameter]
    public SwitchParameter Confidential { get; set; }

    /// <summary>Why confidential mode goes on or off, for the audit log.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Reason { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecordCore()
    {
        UserText.Check(Reason, nameof(Reason));
        var confidentialGiven = MyInvocation.BoundParameters.ContainsKey(nameof(Confidential));
        if (Reason is not null && !confidentialGiven)
        {
            throw ErrorCatalogue.ReasonWithoutConfidential(Reason);
        }

        if (confidentialGiven && Confidential && string.IsNullOrWhiteSpace(Reason))
        {
            throw ErrorCatalogue.ConfidentialReasonRequired(Name!);
        }

        var changes = new ApplicationChanges
        {
            Repository = Repository,
            DeployName = DeployName,
            Team = Team,
            Type = Type,
            ReleaseTagPattern = ReleaseTagPattern,
            Retired = Retired,
        };
        var action = !confidentialGiven ? "Change the application"
            : Confidential ? "Turn confidential mode on" : "Turn confidential mode off";
        if (!this.ShouldProcessOrRefuse(Name!, action))
        {
            return;
        }

        var application = Await(ct => Engine.Applications.SetAsync(Name!, changes, ct));
        if (confidentialGiven)
        {
            application = SetConfidential(application);
        }

        if (PassThru)
        {
            WriteObject(application);
        }
    }

    private Application SetConfidential(Application application)
    {
        // The audit log names the person by their GitHub login when the token says who they are; a GitHub
        // that cannot say must never keep an incident's confidential mode from going on.
        var actor = RunOnPipeline((reporter, ct) => Engine.ResolveActorAsync(reporter, ct));
        var service = new ConfidentialService(Engine.Store, actor);
        if (Confidential)
        {
            return RunOnPipeline((reporter, ct) => service.TurnOnAsync(application, Reason,
                (app, token) => Engine.GitHub(reporter).Repositories.GetVisibilityAsync(app, reporter, token), reporter, ct)).Application;
        }

        var change = Await(ct => service.TurnOffAsync(application, Reason, ct));
        if (!change.Changed)
        {
            WriteWarning($"{application.Name} is not confidential; nothing changed.");
            return change.Application;
        }

        foreach (var line in ConfidentialService.Describe(change))
        {
            WriteHostLine(line);
        }

        if (ConfidentialService.PublicAgainReminder(change) is { } reminder)
        {
            WriteWarning(reminder);
        }

        return change.Application;
    }
}
