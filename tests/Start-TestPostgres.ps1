#Requires -Version 7.0
<#
.SYNOPSIS
    Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the store's contract tests.
.DESCRIPTION
    Finds the PostgreSQL server binaries (installing Debian's postgresql package when they
    are missing and we are root on Debian), creates a cluster in a temporary folder with
    trust authentication for local TCP connections, starts it on a free port, creates a
    database and returns an object with:
      ConnectionString  Npgsql connection string for GOVUK_DEPLOY_TEST_POSTGRES
      Port, DataDirectory, BinDirectory, RunAs
      Stop()            stops the server and deletes the folder (Stop-TestPostgres.ps1 does the same)
    The server refuses root, so as root the cluster is run as the 'postgres' user (or 'nobody').
.EXAMPLE
    $pg = ./tests/Start-TestPostgres.ps1
    $env:GOVUK_DEPLOY_TEST_POSTGRES = $pg.ConnectionString
    dotnet test tests/GovukDeploy.Engine.Tests
    $pg.Stop()
#>
[CmdletBinding()]
param(
    [string] $Database = 'govuk_deploy_test'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Find-PostgresBin {
    # Debian keeps the server tools out of PATH, one folder per major version: take the newest.
    $versioned = Get-ChildItem -Path '/usr/lib/postgresql/*/bin/initdb' -ErrorAction SilentlyContinue |
        Sort-Object { [int]($_.Directory.Parent.Name -replace '\D', '') } -Descending |
        Select-Object -First 1
    if ($versioned) { return $versioned.DirectoryName }
    $onPath = Get-Command -Name initdb -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($onPath) {
        $target = (Get-Item -LiteralPath $onPath.Source).ResolvedTarget
        return Split-Path -Parent ($target ?? $onPath.Source)
    }
    return $null
}

function Test-Root { $IsLinux -and ((& id -u) -eq '0') }

function Invoke-Checked {
    param([string] $RunAs, [string] $File, [string[]] $Arguments)
    $output = if ($RunAs) { & runuser -u $RunAs -- $File @Arguments 2>&1 } else { & $File @Arguments 2>&1 }
    if ($LASTEXITCODE -ne 0) {
        throw "$(Split-Path -Leaf $File) failed (exit $LASTEXITCODE):`n$($output -join "`n")"
    }
}

$bin = Find-PostgresBin
if (-not $bin) {
    if ((Test-Root) -and (Test-Path '/etc/debian_version')) {
        Write-Verbose 'Installing PostgreSQL from Debian packages'
        $env:DEBIAN_FRONTEND = 'noninteractive'
        $log = & apt-get install -y -qq postgresql 2>&1
        if ($LASTEXITCODE -ne 0) {
            # A fresh machine may have no package lists yet.
            $log = & apt-get update -qq 2>&1
            $log += & apt-get install -y -qq postgresql 2>&1
        }
        if ($LASTEXITCODE -ne 0) { throw "apt-get install postgresql failed:`n$(($log | Select-Object -Last 20) -join "`n")" }
        $bin = Find-PostgresBin
    }
    if (-not $bin) {
        throw 'PostgreSQL server binaries (initdb, pg_ctl) were not found. Install PostgreSQL (Debian: apt-get install postgresql) or set GOVUK_DEPLOY_TEST_POSTGRES to an existing server.'
    }
}

$runAs = $null
if (Test-Root) {
    $runAs = if ((& getent passwd postgres) -and $LASTEXITCODE -eq 0) { 'postgres' } else { 'nobody' }
}

$dataDir = Join-Path ([IO.Path]::GetTempPath()) ("govuk-deploy-pg-" + [guid]::NewGuid().ToString('N').Substring(0, 12))
New-Item -ItemType Directory -Path $dataDir | Out-Null
if ($runAs) { & chown "${runAs}:" $dataDir }

# A free port: bind to port 0, note what the system gave, and let it go.
$listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
$listener.Start()
$port = ([System.Net.IPEndPoint]$listener.LocalEndpoint).Port
$listener.Stop()

$cluster = Join-Path $dataDir 'cluster'
try {
    Invoke-Checked $runAs (Join-Path $bin 'initdb') @('-D', $cluster, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C')
    $options = "-p $port -k $dataDir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    Invoke-Checked $runAs (Join-Path $bin 'pg_ctl') @('-D', $cluster, '-l', (Join-Path $dataDir 'server.log'), '-o', $options, '-w', '-t', '60', 'start')
    Invoke-Checked $null (Join-Path $bin 'createdb') @('-h', '127.0.0.1', '-p', "$port", '-U', 'postgres', $Database)
}
catch {
    & (Join-Path $PSScriptRoot 'Stop-TestPostgres.ps1') -DataDirectory $dataDir -BinDirectory $bin -RunAs $runAs
    throw
}

$server = [pscustomobject]@{
    ConnectionString = "Host=127.0.0.1;Port=$port;Username=postgres;Database=$Database"
    Port             = $port
    DataDirectory    = $dataDir
    BinDirectory     = $bin
    RunAs            = $runAs
    StopScript       = Join-Path $PSScriptRoot 'Stop-TestPostgres.ps1'
}
$server | Add-Member -MemberType ScriptMethod -Name Stop -Value {
    & $this.StopScript -DataDirectory $this.DataDirectory -BinDirectory $this.BinDirectory -RunAs $this.RunAs
}
$server
