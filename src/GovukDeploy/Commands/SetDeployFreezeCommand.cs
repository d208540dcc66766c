using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>
/// Freezes applications: why, who to ask, until when. Every application that comes
/// through the pipeline is frozen in one transaction, all or nothing.
/// </summary>
[Cmdlet(VerbsCommon.Set, "DeployFreeze", SupportsShouldProcess = true, DefaultParameterSetName = ApplicationSet, HelpUri = ProjectLinks.DocsRoot + "Set-DeployFreeze.md")]
[OutputType(typeof(DeployFreeze))]
public sealed class SetDeployFreezeCommand : GovukDeployCmdlet
{
    private const string ApplicationSet = "Application";
    private const string GlobalSet = "Global";
    private readonly List<string> _applications = [];
    private bool _invalid;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ApplicationSet)]
    [Alias("Name")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string[]? Application { get; set; }

    /// <summary>Freezes every application (GOV.UK's site-wide note).</summary>
    [Parameter(Mandatory = true, ParameterSetName = GlobalSet)]
    public SwitchParameter Global { get; set; }

    [Parameter(Mandatory = true)]
    [AllowEmptyString]
    public string? Reason { get; set; }

    [Parameter(Mandatory = true)]
    [AllowEmptyString]
    public string? Contact { get; set; }

    /// <summary>When the freeze lifts itself; without it, it lasts until Remove-DeployFreeze.</summary>
    [Parameter]
    public DateTimeOffset? Until { get; set; }

    /// <summary>The environments to freeze; default every configured environment but the first (staging and production).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string[]? Environment { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessingCore()
    {
        // Checked before anything is listed or written, so that -WhatIf reports bad input too.
        try
        {
            Engine.Freezes.CheckRequest(Reason, Contact, Until);
        }
        catch (Errors.GovukDeployException problem) when (problem.IsInvalidArgument)
        {
            // Bad input is reported and nothing is frozen; anything else (no configuration, no store) ends the command.
            _invalid = true;
            WriteError(ToErrorRecord(problem));
        }
    }

    protected override void ProcessRecordCore()
    {
        if (_invalid)
        {
            return;
        }

        var environments = string.Join(", ", Environment ?? Engine.Environments.DefaultFreezeScope);
        foreach (var application in Global ? [DeployFreeze.Global] : ResolveWildcards(Application!).ToList())
        {
            if (_invalid)
            {
                return;
            }

            var shown = application == DeployFreeze.Global ? "every application" : application;
            if (this.ShouldProcessOrRefuse(shown, $"Freeze deploys to {environments}{(Until is { } until ? $" until {until:u}" : "")}"))
            {
                _applications.Add(application);
            }
        }
    }

    /// <summary>
    /// Names with wildcards become the applications they match, so that -WhatIf lists each one. A pattern
    /// that matches nothing (or cannot be read) is an error, and then nothing is frozen: the freeze is one request.
    /// </summary>
    private IEnumerable<string> ResolveWildcards(string[] names)
    {
        foreach (var name in names)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var lookup = Await(ct => Engine.Applications.GetAsync([name], includeRetired: true, cancellationToken: ct));
                foreach (var problem in lookup.Missing)
                {
                    _invalid = true;
                    WriteError(ToErrorRecord(problem));
                }
                foreach (var match in lookup.Found)
                {
                    yield return match.Name;
                }
            }
            else
            {
                yield return name;
            }
        }
    }

    protected override void EndProcessingCore()
    {
        if (_applications.Count == 0 || _invalid)
        {
            return;
        }

        var freezes = Global
            ? Await(ct => Engine.Freezes.SetGlobalAsync(Reason ?? "", Contact ?? "", Until, Environment, ct))
            : Await(ct => Engine.Freezes.SetAsync(_applications, Reason ?? "", Contact ?? "", Until, Environment, ct));
        WriteVerbose($"Set {freezes.Count} freeze(s) in one transaction.");
        if (PassThru)
        {
            WriteObject(freezes, enumerateCollection: true);
        }
    }
}
