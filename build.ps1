#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, benchmarks and demonstrates the GovukDeploy module.

.DESCRIPTION
    Tasks:
      Build    a versioned module folder in out/GovukDeploy/<version>, ready for Import-Module
      Package  builds, then writes out/package/GovukDeploy.<version>.nupkg for Install-PSResource
      Test     every test: xunit, then Pester against the built module in a fresh pwsh
      Bench    the speed and memory targets, as ratios against baselines measured in the same run
      Demo     builds the module and walks the pipeline against the local sandbox
      Sandbox  builds the module and starts the sandbox until Enter is pressed
      Clean    removes every build output

    Run it through the repository's pinned PowerShell:
      dotnet tool restore
      dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Package', 'Test', 'Bench', 'Demo', 'Sandbox', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Rebuild even when nothing has changed.
    [switch] $Force
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$Version = (Import-PowerShellDataFile (Join-Path $Root 'GovukDeploy.psd1')).ModuleVersion
$OutDir = Join-Path $Root 'out'
$ModuleDir = Join-Path $OutDir "GovukDeploy/$Version"
$StagingDir = Join-Path $OutDir 'obj'
$StampFile = Join-Path $OutDir '.build-stamp'
$PackageDir = Join-Path $OutDir 'package'

# The runtimes whose native libraries (SQLite's e_sqlite3) the module carries.
$SupportedRuntimes = 'linux-x64', 'linux-arm64', 'linux-musl-x64', 'osx-x64', 'osx-arm64', 'win-x64'

function Write-Step([string] $Message) {
    Write-Host "==> $Message" -ForegroundColor Cyan
}

function Invoke-Native {
    # Runs a program and stops the build when it fails. A plain function, so that
    # arguments such as '-c' pass through untouched.
    $exe, $rest = $args
    & $exe @rest
    if ($LASTEXITCODE -ne 0) {
        throw "'$exe $($rest -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Get-FreshPwshCommand {
    # A fresh pwsh of the same version as this one: the same host program with pwsh.dll,
    # or pwsh itself when it was started directly.
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, (Join-Path $PSHOME 'pwsh.dll'))
    }
    return @($process)
}

function Get-InputStamp {
    # Everything a build reads; when none of it changed, the build has nothing to do.
    $inputs = @(
        Get-ChildItem -Path (Join-Path $Root 'src'), (Join-Path $Root 'docs') -Recurse -File |
            Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' }
        Get-Item (Join-Path $Root 'GovukDeploy.psd1'), (Join-Path $Root 'Directory.Build.props'),
            (Join-Path $Root 'Directory.Packages.props'), (Join-Path $Root 'CHANGELOG.md'), (Join-Path $Root 'LICENSE'), $PSCommandPath
    )
    $newest = ($inputs | Measure-Object -Property LastWriteTimeUtc -Maximum).Maximum
    "$Configuration|$($inputs.Count)|$($newest.Ticks)"
}

function Invoke-Build {
    $stamp = Get-InputStamp
    if (-not $Force -and (Test-Path $StampFile) -and (Get-Content $StampFile -Raw).Trim() -eq $stamp -and
        (Test-Path (Join-Path $ModuleDir 'GovukDeploy.dll'))) {
        Write-Step "Build: up to date ($ModuleDir)"
        return
    }

    Write-Step "Build: compiling ($Configuration)"
    $engineOut = Join-Path $StagingDir 'engine'
    $cmdletOut = Join-Path $StagingDir 'cmdlets'
    $helpOut = Join-Path $StagingDir 'help'
    $sandboxOut = Join-Path $StagingDir 'sandbox'
    Invoke-Native dotnet publish (Join-Path $Root 'src/GovukDeploy.Engine/GovukDeploy.Engine.csproj') -c $Configuration -o $engineOut --nologo -v quiet
    Invoke-Native dotnet build (Join-Path $Root 'src/GovukDeploy/GovukDeploy.csproj') -c $Configuration -o $cmdletOut --nologo -v quiet
    Invoke-Native dotnet build (Join-Path $Root 'src/GovukDeploy.HelpCompiler/GovukDeploy.HelpCompiler.csproj') -c $Configuration -o $helpOut --nologo -v quiet
    $sandboxProject = Join-Path $Root 'src/GovukDeploy.Sandbox/GovukDeploy.Sandbox.csproj'
    if (Test-Path $sandboxProject) {
        Invoke-Native dotnet publish $sandboxProject -c $Configuration -o $sandboxOut --nologo -v quiet
    }

    Write-Step "Build: assembling $ModuleDir"
    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    $dependencies = New-Item -ItemType Directory -Path (Join-Path $ModuleDir 'Dependencies') -Force
    Copy-Item (Join-Path $Root 'GovukDeploy.psd1'), (Join-Path $Root 'LICENSE') $ModuleDir
    Set-ReleaseNote -Manifest (Join-Path $ModuleDir 'GovukDeploy.psd1')
    Copy-Item (Join-Path $Root 'src/GovukDeploy/GovukDeploy.format.ps1xml') $ModuleDir
    Copy-Item (Join-Path $cmdletOut 'GovukDeploy.dll'), (Join-Path $cmdletOut 'GovukDeploy.pdb') $ModuleDir

    # The engine and its dependencies, which load into the module's own load context.
    Get-ChildItem $engineOut -File | Where-Object Extension -in '.dll', '.pdb' | Copy-Item -Destination $dependencies
    foreach ($rid in $SupportedRuntimes) {
        $native = Join-Path $engineOut "runtimes/$rid/native"
        if (Test-Path $native) {
            $target = New-Item -ItemType Directory -Path (Join-Path $dependencies "runtimes/$rid/native") -Force
            Copy-Item "$native/*" $target
        }
    }

    if (Test-Path $sandboxOut) {
        $sandboxTarget = New-Item -ItemType Directory -Path (Join-Path $ModuleDir 'Sandbox') -Force
        Copy-Item "$sandboxOut/*" $sandboxTarget -Recurse
    }

    Invoke-Native dotnet (Join-Path $helpOut 'GovukDeploy.HelpCompiler.dll') (Join-Path $Root 'docs') (Join-Path $ModuleDir 'en-US') 'GovukDeploy.dll'
    Set-Content -Path $StampFile -Value $stamp
    Write-Step "Build: done, GovukDeploy $Version in $ModuleDir"
}

function Get-ChangelogSection {
    # This version's section of CHANGELOG.md: the lines under '## <version>' up to the next '## '.
    $lines = Get-Content (Join-Path $Root 'CHANGELOG.md')
    $start = [Array]::FindIndex([string[]] $lines, [Predicate[string]] { param($line) $line.Trim() -eq "## $Version" })
    if ($start -lt 0) {
        throw "CHANGELOG.md has no '## $Version' section: write this version's notes there before building it."
    }
    $section = foreach ($line in $lines | Select-Object -Skip ($start + 1)) {
        if ($line -like '## *') { break }
        $line
    }
    ($section -join "`n").Trim()
}

function Set-ReleaseNote([string] $Manifest) {
    # The built manifest carries the notes themselves, as the PowerShell Gallery shows them.
    $notes = Get-ChangelogSection
    $text = Get-Content $Manifest -Raw
    $pattern = "(?m)^(\s*ReleaseNotes\s*=\s*)'[^']*'"
    if ($text -notmatch $pattern) { throw "$Manifest has no ReleaseNotes line to fill." }
    $literal = "'" + ($notes -replace "'", "''") + "'"
    $text = [regex]::Replace($text, $pattern, { param($m) $m.Groups[1].Value + $literal })
    Set-Content -Path $Manifest -Value $text -NoNewline
    # The notes must leave a manifest PowerShell can read, whatever they hold.
    $null = Import-PowerShellDataFile -Path $Manifest
}

function Invoke-Package {
    # A .nupkg of the built module, made offline by PSResourceGet (bundled with PowerShell 7.4+);
    # Install-PSResource takes it from any folder registered as a repository.
    Invoke-Build
    Write-Step "Package: $PackageDir"
    Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop
    $null = New-Item -ItemType Directory -Path $PackageDir -Force
    Get-ChildItem $PackageDir -Filter "GovukDeploy.$Version.nupkg" | Remove-Item -Force
    # The module folder as GovukDeploy/, the name Install-PSResource gives it.
    $staging = Join-Path $StagingDir 'package/GovukDeploy'
    if (Test-Path $staging) { Remove-Item $staging -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $staging -Force
    Copy-Item "$ModuleDir/*" $staging -Recurse
    Compress-PSResource -Path $staging -DestinationPath $PackageDir
    $package = Join-Path $PackageDir "GovukDeploy.$Version.nupkg"
    if (-not (Test-Path $package)) { throw "Compress-PSResource wrote no $package." }
    Write-Step "Package: done, $package ($([math]::Round((Get-Item $package).Length / 1MB, 1)) MB)"
}

function Get-TestToolPath {
    # Pester and the older NodaTime (for the isolation test) come through NuGet, pinned in tools/TestTools.
    Invoke-Native dotnet restore (Join-Path $Root 'tools/TestTools/TestTools.csproj') --nologo -v quiet
    $packages = (dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    [pscustomobject]@{
        Pester        = Join-Path $packages.Trim() 'pester/6.2.0/tools/Pester.psd1'
        OtherNodaTime = Join-Path $packages.Trim() 'nodatime/2.4.7/lib/netstandard2.0/NodaTime.dll'
    }
}

function Invoke-XunitProject([string] $Project, [hashtable] $Totals) {
    Write-Step "Test: $(Split-Path $Project -Leaf)"
    $output = & dotnet test $Project -c $Configuration --nologo 2>&1 | Tee-Object -Variable lines | ForEach-Object { "$_" }
    $output | Where-Object { $_ -match 'error|Failed |Passed!|Failed!|Skipped ' } | ForEach-Object { Write-Host $_ }
    $summary = $output | Select-String 'Failed:\s+(\d+), Passed:\s+(\d+), Skipped:\s+(\d+)' | Select-Object -Last 1
    if (-not $summary) {
        Write-Host ($output -join [Environment]::NewLine)
        $Totals.Failed++
        $Totals.Problems += "$Project did not report a result (build failure?)"
        return
    }
    $Totals.Failed += [int] $summary.Matches[0].Groups[1].Value
    $Totals.Passed += [int] $summary.Matches[0].Groups[2].Value
    $Totals.Skipped += [int] $summary.Matches[0].Groups[3].Value
}

# GitHub's published REST description, against which the sandbox's answers are checked, comes from this npm package.
$OpenApiPackage = '@octokit/openapi@23.0.2'

function Install-GitHubOpenApiDescription([hashtable] $Totals) {
    # Without npm the check is reported skipped, saying why; with npm, an install that fails is a problem, never a quiet skip.
    if (-not (Get-Command npm -CommandType Application -ErrorAction SilentlyContinue)) {
        Write-Step "Test: npm is not on the PATH: the check against GitHub's OpenAPI description will be reported skipped"
        return
    }
    $folder = Join-Path $OutDir 'openapi'
    $description = Join-Path $folder 'node_modules/@octokit/openapi/generated/api.github.com.json'
    if (-not (Test-Path $description)) {
        Write-Step "Test: installing GitHub's OpenAPI description ($OpenApiPackage) with npm"
        New-Item -ItemType Directory -Force -Path $folder | Out-Null
        & npm install --prefix $folder --no-save --no-audit --no-fund --ignore-scripts $OpenApiPackage 2>&1 | ForEach-Object { Write-Host "$_" }
        if ($LASTEXITCODE -ne 0 -or -not (Test-Path $description)) {
            $Totals.Problems += "npm could not install $OpenApiPackage"
        }
    }
    # Set even when the install failed, so that the check fails rather than skips.
    $env:GOVUK_DEPLOY_GITHUB_OPENAPI = $description
}

# The npm Jenkins client (how Node tools stream a build's console), against which the sandbox's Jenkins is checked.
$NodeJenkinsPackage = 'jenkins@1.1.0'

function Install-NodeJenkinsClient([hashtable] $Totals) {
    # As for the OpenAPI description: skipped without node and npm, a problem if npm is there and fails.
    if (-not (Get-Command npm -CommandType Application -ErrorAction SilentlyContinue) -or
        -not (Get-Command node -CommandType Application -ErrorAction SilentlyContinue)) {
        Write-Step 'Test: node or npm is not on the PATH: the check with the npm Jenkins client will be reported skipped'
        return
    }
    $folder = Join-Path $OutDir 'node-jenkins'
    $client = Join-Path $folder 'node_modules/jenkins'
    if (-not (Test-Path (Join-Path $client 'package.json'))) {
        Write-Step "Test: installing the npm Jenkins client ($NodeJenkinsPackage) with npm"
        New-Item -ItemType Directory -Force -Path $folder | Out-Null
        & npm install --prefix $folder --no-save --no-audit --no-fund --ignore-scripts $NodeJenkinsPackage 2>&1 | ForEach-Object { Write-Host "$_" }
        if ($LASTEXITCODE -ne 0 -or -not (Test-Path (Join-Path $client 'package.json'))) {
            $Totals.Problems += "npm could not install $NodeJenkinsPackage"
        }
    }
    $env:GOVUK_DEPLOY_TEST_NODE_JENKINS = $client
}

function Invoke-Test {
    Invoke-Build
    $totals = @{ Passed = 0; Failed = 0; Skipped = 0; Problems = @() }
    $postgres = $null
    $startPostgres = Join-Path $Root 'tests/Start-TestPostgres.ps1'
    try {
        if (Test-Path $startPostgres) {
            Write-Step 'Test: starting a throwaway PostgreSQL on 127.0.0.1'
            $postgres = & $startPostgres
            $env:GOVUK_DEPLOY_TEST_POSTGRES = $postgres.ConnectionString
        }

        Install-GitHubOpenApiDescription $totals
        Install-NodeJenkinsClient $totals
        foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Filter '*.Tests.csproj' -Recurse) {
            Invoke-XunitProject $project.FullName $totals
        }

        Write-Step 'Test: Pester against the built module in a fresh pwsh'
        $tools = Get-TestToolPath
        $resultFile = Join-Path $OutDir 'pester-result.json'
        $fresh = Get-FreshPwshCommand
        $env:GOVUK_DEPLOY_TEST_MODULE = Join-Path $ModuleDir 'GovukDeploy.psd1'
        $env:GOVUK_DEPLOY_TEST_PWSH = ConvertTo-Json -Compress -InputObject @($fresh)
        $env:GOVUK_DEPLOY_TEST_OTHER_NODATIME = $tools.OtherNodaTime
        $runner = Join-Path $Root 'tests/Invoke-PesterSuite.ps1'
        & $fresh[0] @($fresh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $runner -PesterPath $tools.Pester -ResultPath $resultFile
        if (Test-Path $resultFile) {
            $pester = Get-Content $resultFile -Raw | ConvertFrom-Json
            $totals.Passed += $pester.Passed
            $totals.Failed += $pester.Failed
            $totals.Skipped += $pester.Skipped
            if ($pester.Failed -eq 0 -and $pester.Passed -eq 0) { $totals.Problems += 'Pester ran no test' }
        } else {
            $totals.Failed++
            $totals.Problems += 'Pester did not report a result'
        }
    } finally {
        if ($postgres) { $postgres.Stop() }
    }

    foreach ($problem in $totals.Problems) { Write-Host "problem: $problem" -ForegroundColor Red }
    Write-Host ''
    Write-Host "Tests: $($totals.Passed) passed, $($totals.Failed) failed, $($totals.Skipped) skipped"
    if ($totals.Failed -gt 0 -or $totals.Problems.Count -gt 0) { exit 1 }
}

function Invoke-Bench {
    Invoke-Build
    $failures = @()
    $fresh = Get-FreshPwshCommand
    $exe = $fresh[0]; $prefix = @($fresh | Select-Object -Skip 1)
    $manifest = Join-Path $ModuleDir 'GovukDeploy.psd1'

    # The suites include the import cost, which starts this pwsh with the module just built.
    Write-Step 'Bench: suites (import cost against an empty module, and the engine)'
    $env:GOVUK_DEPLOY_BENCH_MODULE = $manifest
    $env:GOVUK_DEPLOY_BENCH_PWSH = ConvertTo-Json -Compress -InputObject @($fresh)
    & dotnet run -c Release --project (Join-Path $Root 'tests/GovukDeploy.Bench/GovukDeploy.Bench.csproj')
    if ($LASTEXITCODE -ne 0) { $failures += 'engine suites' }

    $moduleBench = Join-Path $Root 'tests/bench/Invoke-ModuleBench.ps1'
    if (Test-Path $moduleBench) {
        Write-Step 'Bench: module suites (in a fresh pwsh)'
        & $exe @prefix -NoProfile -NonInteractive -File $moduleBench -ModulePath $manifest
        if ($LASTEXITCODE -ne 0) { $failures += 'module suites' }
    }

    if ($failures) {
        Write-Host "Bench: targets missed: $($failures -join ', ')" -ForegroundColor Red
        exit 1
    }
    Write-Host 'Bench: every target met.'
}

function Invoke-Demo {
    Invoke-Build
    $demo = Join-Path $Root 'tools/demo/Invoke-Demo.ps1'
    $fresh = Get-FreshPwshCommand
    & $fresh[0] @($fresh | Select-Object -Skip 1) -NoProfile -File $demo -ModulePath (Join-Path $ModuleDir 'GovukDeploy.psd1')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Sandbox {
    Invoke-Build
    $fresh = Get-FreshPwshCommand
    $command = "Import-Module '$(Join-Path $ModuleDir 'GovukDeploy.psd1')'; Start-GovukDeploySandbox; Read-Host 'Sandbox running; press Enter to stop it'; Stop-GovukDeploySandbox"
    & $fresh[0] @($fresh | Select-Object -Skip 1) -NoProfile -Command $command
}

function Invoke-Clean {
    Write-Step 'Clean'
    if (Test-Path $OutDir) { Remove-Item $OutDir -Recurse -Force }
    Get-ChildItem $Root -Directory -Recurse -Include bin, obj |
        Where-Object { $_.FullName -notmatch '[\\/]\.git[\\/]' } |
        Remove-Item -Recurse -Force
}

foreach ($name in $Task) {
    switch ($name) {
        'Build' { Invoke-Build }
        'Package' { Invoke-Package }
        'Test' { Invoke-Test }
        'Bench' { Invoke-Bench }
        'Demo' { Invoke-Demo }
        'Sandbox' { Invoke-Sandbox }
        'Clean' { Invoke-Clean }
    }
}
