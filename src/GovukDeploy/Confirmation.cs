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
    public static bool ShouldProcessOrRefuse(this PSCmdlet cmdlet, string target, string action)
    {
        try
        {
            return cmdlet.ShouldProcess(target, action);
        }
        catch (Exception e) when (e is not PipelineStoppedException and not GovukDeployException)
        {
            throw ErrorCatalogue.ConfirmationRequired(action, target, cmdlet.MyInvocation.MyCommand.Name, e);
        }
    }
}
