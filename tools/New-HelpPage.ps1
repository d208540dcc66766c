#Requires -Version 7.4
<#
.SYNOPSIS
    Scaffolds docs/<Cmdlet>.md for a cmdlet of the built module: the sections, the syntax
    and one parameter block per parameter with its metadata. Fill in every TODO by hand;
    the help tests fail while one is left.
.EXAMPLE
    dotnet pwsh ./tools/New-HelpPage.ps1 -Name Get-DeployWindow
#>
param(
    [Parameter(Mandatory)] [string[]] $Name,
    [string] $ModulePath = (Get-ChildItem (Join-Path $PSScriptRoot '../out/GovukDeploy') -Directory | Sort-Object Name | Select-Object -Last 1 -ExpandProperty FullName | Join-Path -ChildPath 'GovukDeploy.psd1'),
    [switch] $Force
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$common = [System.Management.Automation.PSCmdlet]::CommonParameters

foreach ($cmdletName in $Name) {
    $target = Join-Path $PSScriptRoot "../docs/$cmdletName.md"
    if ((Test-Path $target) -and -not $Force) { Write-Warning "$target exists; use -Force to replace it."; continue }
    $command = Get-Command $cmdletName -Module GovukDeploy
    $page = [System.Text.StringBuilder]::new()
    $null = $page.AppendLine("---`nexternal help file: GovukDeploy.dll-Help.xml`nModule Name: GovukDeploy`nschema: 2.0.0`n---`n")
    $null = $page.AppendLine("# $cmdletName`n`n## SYNOPSIS`nTODO`n`n## SYNTAX`n")
    foreach ($set in $command.ParameterSets) {
        if ($command.ParameterSets.Count -gt 1) { $null = $page.AppendLine("### $($set.Name)$(if ($set.IsDefault) { ' (Default)' })") }
        $null = $page.AppendLine('```' + "`n$cmdletName $($set.ToString())`n" + '```' + "`n")
    }
    $null = $page.AppendLine("## DESCRIPTION`nTODO`n`n## EXAMPLES`n`n### Example 1: TODO`n``````powershell`nPS> TODO`n```````n`nTODO`n`n## PARAMETERS`n")
    foreach ($parameter in $command.Parameters.Values | Where-Object Name -notin $common) {
        $sets = $parameter.ParameterSets.Keys
        $setText = if ($sets -contains '__AllParameterSets') { '(All)' } else { $sets -join ', ' }
        $first = $parameter.ParameterSets.Values | Select-Object -First 1
        $pipeline = @(
            if ($parameter.ParameterSets.Values.ValueFromPipeline -contains $true) { 'ByValue' }
            if ($parameter.ParameterSets.Values.ValueFromPipelineByPropertyName -contains $true) { 'ByPropertyName' }
        )
        $position = if ($first.Position -ge 0) { $first.Position } else { 'Named' }
        $wildcards = [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        $type = $parameter.ParameterType
        $typeName = if ($type.IsGenericType -and $type.GetGenericTypeDefinition() -eq [Nullable`1]) { $type.GetGenericArguments()[0].Name } else { $type.Name }
        $null = $page.AppendLine("### -$($parameter.Name)`nTODO`n`n" + '```yaml' + "`nType: $typeName`nParameter Sets: $setText`nAliases: $($parameter.Aliases -join ', ')`n")
        $null = $page.AppendLine("Required: $([bool]($parameter.ParameterSets.Values.IsMandatory -contains $true))`nPosition: $position`nDefault value: None`nAccept pipeline input: $(if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' })`nAccept wildcard characters: $wildcards`n```````n")
    }
    $null = $page.AppendLine("### CommonParameters`nThis cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutVariable, -OutBuffer, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and -WarningVariable.`n")
    $null = $page.AppendLine("## INPUTS`n`n### TODO`n`n## OUTPUTS`n")
    foreach ($output in $command.OutputType) { $null = $page.AppendLine("### $($output.Name)`nTODO`n") }
    $null = $page.AppendLine("## NOTES`nTODO`n`n## RELATED LINKS`n`n- [about_GovukDeploy](about_GovukDeploy.md)")
    Set-Content -Path $target -Value $page.ToString().TrimEnd() -NoNewline
    Write-Host "Wrote $target"
}
