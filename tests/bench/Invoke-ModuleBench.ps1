#Requires -Version 7.4
<#
.SYNOPSIS
    Benchmarks of the built module as users drive it, each printed as a ratio against a
    baseline measured in the same run. build.ps1 Bench runs it in a fresh pwsh.
#>
param([Parameter(Mandatory)] [string] $ModulePath)

$ErrorActionPreference = 'Stop'
$root = Join-Path ([IO.Path]::GetTempPath()) "govukdeploy-bench-$PID"
$null = New-Item -ItemType Directory -Path $root -Force
$env:GOVUK_DEPLOY_CONFIG = Join-Path $root 'config.json'
$env:GOVUK_DEPLOY_STORE = 'sqlite:' + (Join-Path $root 'bench.db')
$env:XDG_CACHE_HOME = Join-Path $root 'cache'
Import-Module $ModulePath
$failures = 0

function Write-Result([string] $What, [bool] $Met, [string] $Text) {
    $verdict = if ($Met) { 'ok' } else { 'MISSED' }
    '  [{0,6}] {1}: {2}' -f $verdict, $What, $Text | Write-Host
    if (-not $Met) { $script:failures++ }
}

function Measure-Median([int] $Runs, [scriptblock] $Action) {
    $samples = foreach ($i in 1..$Runs) { (Measure-Command $Action).TotalMilliseconds }
    ($samples | Sort-Object)[[math]::Floor($Runs / 2)]
}

try {
    # 1,000 applications, as a catalogue import would bring them.
    $catalogue = Join-Path $root 'catalogue.json'
    $names = foreach ($i in 1..1000) { '{0}-app-{1:0000}' -f ([char](97 + ($i % 26))), $i }
    $names | ForEach-Object { @{ repo_name = $_; team = "#team-$($_.Substring(0, 1))" } } | ConvertTo-Json | Set-Content $catalogue
    Import-Application -Path $catalogue

    # Get-Application -Name 'w*' over 1,000 applications, warm.
    $null = Get-Application -Name 'w*'
    $query = Measure-Median 21 { $null = Get-Application -Name 'w*' }
    $all = Measure-Median 21 { $null = Get-Application }
    Write-Result 'Get-Application w* (1,000 apps, warm)' ($query -le 50) ('{0:0.0} ms (all 1,000: {1:0.0} ms, ratio {2:0.00}); target at most 50 ms' -f $query, $all, ($query / $all))

    # Freezing 1,000 applications through the pipeline, against 1,000 separate calls.
    $until = [DateTimeOffset]::UtcNow.AddDays(1)
    $bulk = (Measure-Command { Get-Application | Set-DeployFreeze -Reason 'bench' -Contact 'bench' -Until $until }).TotalMilliseconds
    Get-Application | Remove-DeployFreeze
    $separate = (Measure-Command { foreach ($name in $names) { Set-DeployFreeze -Application $name -Reason 'bench' -Contact 'bench' -Until $until } }).TotalMilliseconds
    Get-Application | Remove-DeployFreeze
    $ratio = $separate / $bulk
    Write-Result 'Freeze 1,000 apps by pipeline' (($bulk -le 2000) -and ($ratio -ge 10)) ('{0:0} ms; 1,000 separate calls {1:0} ms; {2:0.0}x faster; target at most 2,000 ms and at least 10x' -f $bulk, $separate, $ratio)
} finally {
    Remove-Module GovukDeploy -ErrorAction SilentlyContinue
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

exit ([int]($failures -gt 0))
