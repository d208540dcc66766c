#Requires -Version 7.0
<#
.SYNOPSIS
    Stops a cluster started by Start-TestPostgres.ps1 and deletes its folder.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $DataDirectory,
    [string] $BinDirectory,
    [string] $RunAs
)
$ErrorActionPreference = 'Stop'
$cluster = Join-Path $DataDirectory 'cluster'
$pgCtl = if ($BinDirectory) { Join-Path $BinDirectory 'pg_ctl' } else { 'pg_ctl' }
if (Test-Path (Join-Path $cluster 'postmaster.pid')) {
    $arguments = @('-D', $cluster, '-m', 'fast', '-w', 'stop')
    if ($RunAs) { & runuser -u $RunAs -- $pgCtl @arguments *> $null } else { & $pgCtl @arguments *> $null }
}
if (Test-Path $DataDirectory) {
    Remove-Item -LiteralPath $DataDirectory -Recurse -Force
}
