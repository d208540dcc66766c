#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester tests of the built module and writes a small JSON summary for build.ps1.
    build.ps1 starts it in a fresh pwsh, with GOVUK_DEPLOY_TEST_MODULE pointing at the built manifest.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string[]] $Path = (Join-Path $PSScriptRoot 'pester')
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -MinimumVersion 6.0 -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
$configuration.Should.ErrorAction = 'Continue'

$result = Invoke-Pester -Configuration $configuration
[ordered]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount
} | ConvertTo-Json | Set-Content -Path $ResultPath
exit ([int]($result.Result -ne 'Passed'))
