BeforeDiscovery {
    # A run that leaves PostgreSQL out must say so: only an explicit opt-out skips it, and it is reported as skipped.
    $script:backends = @('sqlite', 'postgres')
    $script:skipPostgres = $env:GOVUK_DEPLOY_SKIP_POSTGRES -eq '1'
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    function New-TestStore([string] $Backend, [hashtable] $Environment) {
        if ($Backend -eq 'sqlite') { return 'sqlite:' + (Join-Path $Environment.GOVUK_DEPLOY_TEST_ROOT 'shared.db') }
        if (-not $env:GOVUK_DEPLOY_TEST_POSTGRES) {
            throw 'GOVUK_DEPLOY_TEST_POSTGRES is not set: run the tests through "dotnet pwsh ./build.ps1 Test", which starts a throwaway PostgreSQL (or set GOVUK_DEPLOY_SKIP_POSTGRES=1 for a quick local loop).'
        }
        # A database of its own for each test, made with the server's psql.
        $parts = @{}
        foreach ($pair in $env:GOVUK_DEPLOY_TEST_POSTGRES -split ';' | Where-Object { $_ }) {
            $key, $value = $pair -split '=', 2
            $parts[$key.Trim()] = $value.Trim()
        }
        $database = 'pester_' + [guid]::NewGuid().ToString('N').Substring(0, 12)
        $psql = (Get-Command psql -ErrorAction SilentlyContinue).Source ?? (Get-ChildItem '/usr/lib/postgresql/*/bin/psql' | Select-Object -Last 1).FullName
        & $psql -h $parts.Host -p $parts.Port -U $parts.Username -d $parts.Database -q -c "CREATE DATABASE $database" | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "psql could not create $database" }
        "Host=$($parts.Host);Port=$($parts.Port);Username=$($parts.Username);Database=$database"
    }
}

Describe 'The <_> store under several processes at once' -ForEach $backends {
    It 'loses nothing and never reports a locked database' -Skip:($_ -eq 'postgres' -and $skipPostgres) {
        $environment = New-IsolatedEnvironment
        $environment.GOVUK_DEPLOY_STORE = New-TestStore $_ $environment
        Use-Environment $environment {
            Import-Module (Get-TestModulePath) -Force
            New-Application -Name 'shared-app' | Out-Null
        }

        $worker = @'
Import-Module $ModulePath
$w = $env:WORKER
foreach ($i in 1..12) { New-Application -Name "w$w-app-$i" -Team "#w$w" | Out-Null }
foreach ($i in 1..4) {
    Set-DeployFreeze -Application 'shared-app' -Reason "worker $w round $i" -Contact 'c'
    Remove-DeployFreeze -Application 'shared-app'
}
Get-Application -Team "#w$w" | Set-DeployFreeze -Reason 'bulk' -Contact 'c'
'worker-done'
'@
        $command = @(ConvertFrom-Json $env:GOVUK_DEPLOY_TEST_PWSH)
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes("`$ErrorActionPreference = 'Stop'; `$ModulePath = '$(Get-TestModulePath)'`n" + $worker))
        $processes = foreach ($w in 1..4) {
            $environment.WORKER = $w
            $out = Join-Path $environment.GOVUK_DEPLOY_TEST_ROOT "worker-$w.out"
            Use-Environment $environment {
                Start-Process -FilePath $command[0] -ArgumentList (@($command | Select-Object -Skip 1) + '-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded) `
                    -RedirectStandardOutput $out -RedirectStandardError "$out.err" -PassThru
            }
        }
        $processes | Wait-Process -Timeout 240
        foreach ($w in 1..4) {
            $text = (Get-Content (Join-Path $environment.GOVUK_DEPLOY_TEST_ROOT "worker-$w.out") -Raw) + (Get-Content (Join-Path $environment.GOVUK_DEPLOY_TEST_ROOT "worker-$w.out.err") -Raw)
            $text | Should -Match 'worker-done' -Because $text
            $text | Should -Not -Match 'locked|busy'
        }

        Use-Environment $environment {
            (Get-Application -Name 'w*-app-*').Count | Should -Be 48
            (Get-DeployFreeze | Where-Object Application -like 'w*-app-*').Count | Should -Be 96
            Get-DeployFreeze -Application 'shared-app' | Where-Object Application -eq 'shared-app' | Should -BeNullOrEmpty
            (Get-AuditEvent -Application 'shared-app' -Kind FreezeSet).Count | Should -Be 32
            (Get-AuditEvent -Kind ApplicationAdded).Count | Should -Be 49
        }
    }
}

Describe 'An unreachable PostgreSQL store' {
    It 'fails fast with a ConnectionError naming host and port, never the password' {
        $environment = New-IsolatedEnvironment
        $environment.GOVUK_DEPLOY_STORE = 'postgres://deployer:pw-never-shown-77@127.0.0.1:1/deploys'
        $elapsed = Measure-Command {
            $lines = Invoke-FreshPwsh -Environment $environment -Script @'
Import-Module $ModulePath
try { Get-Application -ErrorAction Stop } catch { "$($_.FullyQualifiedErrorId)|$($_.CategoryInfo.Category)|$($_.Exception.Message)|$($_.TargetObject)" }
'@
        }
        $last = $lines | Select-Object -Last 1
        $last | Should -Match '\|ConnectionError\|'
        $last | Should -Match '127\.0\.0\.1:1\b'
        ($lines -join "`n") | Should -Not -Match 'pw-never-shown-77'
        $elapsed.TotalSeconds | Should -BeLessThan 30
    }
}

Describe 'A corrupt SQLite store' {
    It 'is reported clearly and never overwritten' {
        $environment = New-IsolatedEnvironment
        $file = Join-Path $environment.GOVUK_DEPLOY_TEST_ROOT 'corrupt.db'
        Set-Content -Path $file -Value ('this is not a database ' * 100)
        $before = (Get-FileHash $file).Hash
        $environment.GOVUK_DEPLOY_STORE = "sqlite:$file"
        $lines = Invoke-FreshPwsh -Environment $environment -Script @'
Import-Module $ModulePath
try { Get-Application -ErrorAction Stop } catch { "$($_.FullyQualifiedErrorId)|$($_.TargetObject)" }
'@
        ($lines | Select-Object -Last 1) | Should -BeLike 'StoreCorrupt,*'
        (Get-FileHash $file).Hash | Should -Be $before
    }
}
