#Requires -Version 7.4
<#
.SYNOPSIS
    The main job: walks GOV.UK's pipeline with GovukDeploy's cmdlets, printing
    an account of each step. build.ps1 Demo builds the module and runs this in
    a fresh pwsh.
#>
param([Parameter(Mandatory)] [string] $ModulePath)

$ErrorActionPreference = 'Stop'

function Write-Step([string] $Text) {
    Write-Host ''
    Write-Host "--- $Text" -ForegroundColor Yellow
}

# The demo keeps its configuration and store in a folder of its own, so that it
# never touches the user's real settings.
$demoHome = Join-Path ([IO.Path]::GetTempPath()) "govukdeploy-demo-$PID"
$env:GOVUK_DEPLOY_CONFIG = Join-Path $demoHome 'config.json'
$env:GOVUK_DEPLOY_STORE = 'sqlite:' + (Join-Path $demoHome 'store.db')

Write-Step 'Import the module'
$elapsed = Measure-Command { Import-Module $ModulePath }
$module = Get-Module GovukDeploy
Write-Host ("GovukDeploy {0} imported in {1:0} ms; {2} cmdlets." -f $module.Version, $elapsed.TotalMilliseconds, $module.ExportedCmdlets.Count)

Write-Step 'The effective configuration, and where each setting comes from'
Get-GovukDeployConfiguration | Format-Table -AutoSize | Out-Host

Write-Step 'Done'
Remove-Item $demoHome -Recurse -Force -ErrorAction SilentlyContinue
