BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isolated = New-IsolatedEnvironment
    $alwaysOpen = '{"staging": {"AlwaysOpen": true}, "production": {"AlwaysOpen": true}}'
    Use-Environment $isolated {
        Import-Module (Get-TestModulePath) -Force
        New-Application -Name 'frontend' -Team '#frontend' | Out-Null
        Start-GovukDeploySandbox -DeploySeconds 0.5 -CiSeconds 0.5 | Out-Null
        Set-GovukDeployConfiguration -Name DeployWindowPolicies -Value $alwaysOpen
        # Renew every second, so that a dead holder's lock is taken over after two: the test stays short.
        Set-GovukDeployConfiguration -Name DeployLockRenewalSeconds -Value 1
    }
}

AfterAll {
    Use-Environment $isolated {
        Stop-GovukDeploySandbox
        Set-GovukDeployConfiguration -Reset DeployWindowPolicies, DeployLockRenewalSeconds
    }
}

Describe 'The deploy lock of a process that dies' {
    It 'is never broken while its holder renews it, even with -Force, and is taken over once the holder is killed' {
        Use-Environment $isolated {
            # A child pwsh takes the deploy lock as a deploy does (renewing every second) and then hangs, as a
            # deploy waiting on a slow service would, until it is killed.
            $ready = Join-Path $isolated.GOVUK_DEPLOY_TEST_ROOT 'child-holds-the-lock'
            $child = @'
Import-Module $ModulePath
$null = Get-Application
# The engine lives in the module's own load context, out of reach of type literals: find it by name.
$engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'GovukDeploy.Engine' } | Select-Object -First 1
$store = $engine.GetType('GovukDeploy.Store.DeployStoreFactory', $true)::Open($env:SANDBOX_STORE, $null, $null)
$lease = $engine.GetType('GovukDeploy.Store.DeployLockLease', $true)::AcquireAsync($store, 'frontend', 'integration', "crashed@child:$PID",
    [TimeSpan]::FromHours(1), [TimeSpan]::FromSeconds(1), [Threading.CancellationToken]::None).GetAwaiter().GetResult()
Set-Content -LiteralPath $env:READY_FILE -Value $lease.Lock.Owner
Start-Sleep -Seconds 600
'@
            $command = @(ConvertFrom-Json $env:GOVUK_DEPLOY_TEST_PWSH)
            $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes("`$ErrorActionPreference = 'Stop'; `$ModulePath = '$(Get-TestModulePath)'`n" + $child))
            $out = Join-Path $isolated.GOVUK_DEPLOY_TEST_ROOT 'child.out'
            # The sandbox keeps its own store: the child must share it.
            $process = Use-Environment @{ READY_FILE = $ready; SANDBOX_STORE = (Get-GovukDeployConfiguration -Name Store).Value } {
                Start-Process -FilePath $command[0] -ArgumentList (@($command | Select-Object -Skip 1) + '-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded) `
                    -RedirectStandardOutput $out -RedirectStandardError "$out.err" -PassThru
            }
            try {
                $deadline = [DateTime]::UtcNow.AddSeconds(90)
                while (-not (Test-Path -LiteralPath $ready) -and -not $process.HasExited -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
                Test-Path -LiteralPath $ready | Should -BeTrue -Because "$(Get-Content $out -Raw -ErrorAction Ignore) $(Get-Content "$out.err" -Raw -ErrorAction Ignore)"
                $owner = (Get-Content -LiteralPath $ready -Raw).Trim()

                # Alive: three renewal intervals later the lock still holds, and -Force does not break it.
                Start-Sleep -Seconds 3
                { Invoke-Deploy -Application frontend -Environment integration -Force -Reason 'urgent' -ErrorAction Stop } |
                    Should -Throw -ErrorId 'DeployInProgress,*'
                try { Invoke-Deploy -Application frontend -Environment integration -ErrorAction Stop } catch { $refusal = $_ }
                $refusal.Exception.Message | Should -BeLike "*$owner*can be taken over after*"
            }
            finally {
                Stop-Process -Id $process.Id -Force -ErrorAction Ignore
                $process.WaitForExit()
            }

            # Dead: within a few seconds (two missed renewals), not an hour, the next deploy takes the lock over.
            $killed = [Diagnostics.Stopwatch]::StartNew()
            $deployment = $null
            while (-not $deployment -and $killed.Elapsed -lt [TimeSpan]::FromSeconds(30)) {
                try {
                    $deployment = Invoke-Deploy -Application frontend -Environment integration -ErrorAction Stop -WarningVariable warned -WarningAction SilentlyContinue
                }
                catch {
                    $_.FullyQualifiedErrorId | Should -BeLike 'DeployInProgress,*'
                    Start-Sleep -Milliseconds 250
                }
            }
            $killed.Stop()
            Write-Host "Deploy lock taken over $([int]$killed.Elapsed.TotalMilliseconds) ms after its holder was killed (renewal interval 1 s)."
            $deployment.Status | Should -Be 'Succeeded'
            $killed.Elapsed | Should -BeLessThan ([TimeSpan]::FromSeconds(10))
            "$warned" | Should -BeLike "*Took over the deploy lock of frontend in integration from $owner (last renewed *stopped renewing*"
            $audit = Get-AuditEvent -Application frontend -Kind DeployLockTakenOver
            @($audit).Count | Should -Be 1
            $audit.Detail | Should -BeLike "*$owner (last renewed *"
        }
    }
}
