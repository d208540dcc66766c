# Shared helpers for the Pester tests of the built module.

function Get-TestModulePath {
    # The manifest of the module that build.ps1 just built.
    if (-not $env:GOVUK_DEPLOY_TEST_MODULE) {
        throw 'GOVUK_DEPLOY_TEST_MODULE is not set: run the tests through "dotnet pwsh ./build.ps1 Test".'
    }
    $env:GOVUK_DEPLOY_TEST_MODULE
}

function Get-RepositoryRoot {
    (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
}

function New-IsolatedEnvironment {
    # Private folders for configuration, data and cache, so that a test never
    # reads or writes the real user's files.
    $root = Join-Path ([IO.Path]::GetTempPath()) ("govukdeploy-test-" + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $root
    [ordered]@{
        GOVUK_DEPLOY_CONFIG = Join-Path $root 'config/config.json'
        XDG_CONFIG_HOME     = Join-Path $root 'config-home'
        XDG_DATA_HOME       = Join-Path $root 'data-home'
        XDG_CACHE_HOME      = Join-Path $root 'cache-home'
        GOVUK_DEPLOY_STORE  = 'sqlite:' + (Join-Path $root 'store.db')
        GOVUK_DEPLOY_TEST_ROOT = $root
        # A test never opens a real browser: -Web prints the address instead.
        GOVUK_DEPLOY_NO_BROWSER = '1'
    }
}

function Use-Environment {
    # Sets environment variables for the duration of a script block, then restores them.
    param([Parameter(Mandatory)] [System.Collections.IDictionary] $Variables, [Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $saved = @{}
    foreach ($name in $Variables.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, [string] $Variables[$name])
    }
    try { & $ScriptBlock }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

function Invoke-FreshPwsh {
    <#
    Runs a script in a new pwsh process (no profile) and returns every line it wrote
    on any stream, with its exit code in $LASTEXITCODE. The module path is passed in
    as $ModulePath.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [System.Collections.IDictionary] $Environment = @{}
    )
    $command = @(ConvertFrom-Json $env:GOVUK_DEPLOY_TEST_PWSH)
    $prelude = "`$ErrorActionPreference = 'Stop'; `$ModulePath = '$((Get-TestModulePath) -replace "'", "''")'`n"
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($prelude + $Script))
    Use-Environment -Variables $Environment -ScriptBlock {
        & $command[0] @($command | Select-Object -Skip 1) -NoProfile -NonInteractive -OutputFormat Text -EncodedCommand $encoded *>&1 |
            ForEach-Object { "$_" }
    }
}

Export-ModuleMember -Function Get-TestModulePath, Get-RepositoryRoot, New-IsolatedEnvironment, Use-Environment, Invoke-FreshPwsh
