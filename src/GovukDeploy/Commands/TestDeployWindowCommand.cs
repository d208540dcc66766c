using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>Says whether a deploy may start now (or at -At), and with -Detailed why not and when it may.</summary>
[Cmdlet(VerbsDiagnostic.Test, "DeployWindow", HelpUri = ProjectLinks.DocsRoot + "Test-DeployWindow.md")]
[OutputType(typeof(bool), typeof(DeployWindowVerdict))]
public sealed class TestDeployWindowCommand : GovukDeployCmdlet
{
    /// <summary>The instant to test, in any offset; the policy's own zone decides. Default: now.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public DateTimeOffset? At { get; set; }

    /// <summary>The environment to ask about; default the last configured one (production).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string? Environment { get; set; }

    /// <summary>How long the deploy takes: it must also finish inside the window.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [TimeSpanArgument]
    public TimeSpan? Duration { get; set; }

    /// <summary>This application's freezes (and global ones) count too: "can I deploy this now?"</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string? Application { get; set; }

    [Parameter]
    public SwitchParameter Detailed { get; set; }

    protected override void ProcessRecordCore()
    {
        var environment = Engine.RequireEnvironment(Environment ?? Engine.Environments.Last);
        IReadOnlyList<DeployFreeze>? freezes = null;
        if (Application is not null)
        {
            var application = Await(ct => Engine.Applications.GetRequiredAsync(Application, ct));
            var inForce = Await(ct => Engine.Freezes.InForceAsync([application], environment, cancellationToken: ct)).ByApplication[0];
            if (inForce.ReleaseAppUnknown is not null)
            {
                // Fail closed: "may I deploy?" is not answered yes when a freeze may be hidden.
                throw inForce.ReleaseAppUnknown;
            }
            freezes = inForce.All;
        }

        var verdict = Engine.Windows.Test(At, environment, Duration, freezes);
        WriteVerbose($"{verdict.Environment} at {verdict.At:yyyy-MM-dd HH:mm zzz}: {verdict.Reason}{(verdict.Detail is null ? "" : $" ({verdict.Detail})")}.");
        if (Detailed)
        {
            WriteObject(verdict);
        }
        else
        {
            WriteObject(verdict.Allowed);
        }
    }
}
