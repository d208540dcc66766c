#Requires -Version 7.0
<#
.SYNOPSIS
    Runs a script block with GOVUK_DEPLOY_TEST_POSTGRES pointing at a PostgreSQL server.
.DESCRIPTION
    When GOVUK_DEPLOY_TEST_POSTGRES is already set, the script block just runs. Otherwise a
    throwaway cluster is started with Start-TestPostgres.ps1, the variable is set for the
    script block, and the cluster is stopped afterwards, whether the block succeeded or not.
    The script block's output is passed through; $LASTEXITCODE is what it left.
.EXAMPLE
    ./tests/Invoke-WithTestPostgres.ps1 { dotnet test tests/GovukDeploy.Engine.Tests }
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [scriptblock] $ScriptBlock
)
$ErrorActionPreference = 'Stop'
if ($env:GOVUK_DEPLOY_TEST_POSTGRES) {
    & $ScriptBlock
    return
}
$server = & (Join-Path $PSScriptRoot 'Start-TestPostgres.ps1')
try {
    $env:GOVUK_DEPLOY_TEST_POSTGRES = $server.ConnectionString
    Write-Host "PostgreSQL for the store tests: 127.0.0.1:$($server.Port)"
    & $ScriptBlock
}
finally {
    $env:GOVUK_DEPLOY_TEST_POSTGRES = $null
    $server.Stop()
}
