using System.Management.Automation;
using GovukDeploy.Errors;

namespace GovukDeploy;

/// <summary>
/// Asking before a change, the same way in every cmdlet that needs it. Internal, as it builds on an
/// engine type (see IPipelineSink).
/// </summary>
internal static class Confirmation
{
    /// <summary>-WhatIf on the command, or inherited from a calling script or function through $WhatIfPreference.</summary>
    public static bool WhatIfRequested(this PSCmdlet cmdlet) =>
        (cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) && ((SwitchParameter)whatIf).IsPresent)
        || (!cmdlet.MyInvocation.BoundParameters.ContainsKey("WhatIf") && LanguagePrimitives.IsTrue(cmdlet.GetVariableValue("WhatIfPreference")));

    /// <summary>
    /// ShouldProcess, except that a host which cannot ask (a runbook, pwsh -NonInteractive) gets a typed
    /// refusal naming -Confirm:$false instead of a prompt that crashes: a change that must be confirmed
    /// is never made unconfirmed.
    /// </summary>
    public static bool ShouldProcessOrRefuse(this PSCmdlet cmdlet, string target, string action) =>
        cmdlet.ShouldProcessOrRefuse(target, action, out _);

    /// <inheritdoc cref="ShouldProcessOrRefuse(PSCmdlet, string, string)"/>
    /// <param name="reason">Why the answer is no: WhatIf when -WhatIf is in force (nothing is asked), else None.</param>
    public static bool ShouldProcessOrRefuse(this PSCmdlet cmdlet, string target, string action, out ShouldProcessReason reason)
    {
        try
        {
            // The same words PowerShell's ShouldProcess(target, action) uses, with the reason it answers no.
            var description = $"Performing the operation \"{action}\" on target \"{target}\".";
            return cmdlet.ShouldProcess(description, $"Are you sure you want to perform this action?{Environment.NewLine}{description}", "Confirm", out reason);
        }
        catch (Exception e) when (e is not PipelineStoppedException and not GovukDeployException)
        {
            throw ErrorCatalogue.ConfirmationRequired(action, target, cmdlet.MyInvocation.MyCommand.Name, e);
        }
    }

    /// <summary>
    /// ShouldContinue (a question that -Confirm:$false does not answer, such as "other people's changes"),
    /// except that a host which cannot ask gets the typed refusal <paramref name="refusal"/> builds (from the
    /// catalogue, naming the switch that answers it) instead of a prompt that crashes.
    /// </summary>
    public static bool ShouldContinueOrRefuse(this PSCmdlet cmdlet, string query, string caption, Func<Exception, GovukDeployException> refusal)
    {
        try
        {
            return cmdlet.ShouldContinue(query, caption);
        }
        catch (Exception e) when (e is not PipelineStoppedException and not GovukDeployException)
        {
            throw refusal(e);
        }
    }
}
