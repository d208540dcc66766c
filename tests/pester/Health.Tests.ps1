BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isolated = New-IsolatedEnvironment
    $alwaysOpen = '{"staging": {"AlwaysOpen": true}, "production": {"AlwaysOpen": true}}'
    Use-Environment $isolated {
        Import-Module (Get-TestModulePath) -Force
        # The catalogue first: the sandbox keeps these entries and adds only the applications it has beyond them.
        New-Application -Name 'contacts-admin' -DeployName 'contacts' -Team '#publishing' | Out-Null
        New-Application -Name 'whitehall' -Team '#publishing' | Out-Null
        New-Application -Name 'frontend' -Team '#frontend' | Out-Null
        Start-GovukDeploySandbox -DeploySeconds 1 -CiSeconds 0.5 | Out-Null
        Set-GovukDeployConfiguration -Name DeployWindowPolicies -Value $alwaysOpen
        # -Verify checks every second here, not every 30.
        Set-GovukDeployConfiguration -Name VerifyIntervalSeconds -Value 1
    }

    function Invoke-Control([string] $Path, [hashtable] $Body, [string] $Method = 'Post') {
        $control = (Get-GovukDeployConfiguration -Name ReleaseAppUrl).Value -replace 'release/$', '_sandbox/'
        $arguments = @{ Method = $Method; Uri = $control + $Path }
        if ($Body) { $arguments.ContentType = 'application/json'; $arguments.Body = $Body | ConvertTo-Json }
        Invoke-RestMethod @arguments
    }
}

AfterAll {
    # Session settings live as long as the process: leave none behind for the other test files.
    Use-Environment $isolated {
        Stop-GovukDeploySandbox
        Set-GovukDeployConfiguration -Reset DeployWindowPolicies, VerifyIntervalSeconds
    }
}

Describe 'Test-DeployHealth' {
    It 'is Healthy after a quiet deploy, and Unhealthy after one that brings a new Sentry error' {
        Use-Environment $isolated {
            $quiet = Invoke-Deploy -Application frontend -Environment integration | Test-DeployHealth
            $quiet.Verdict | Should -Be 'Healthy'
            $quiet.Checks.Name | Should -Be @('Sentry', 'Icinga', 'Dashboard', 'SmokeTest')
            $quiet.Check('Dashboard').Url | Should -Match '/dashboard/integration/frontend$'

            Invoke-Control 'after-deploy' @{ application = 'frontend'; environment = 'integration'; effect = 'new-error' } | Out-Null
            $deployment = Invoke-Deploy -Application frontend -Environment integration
            $health = $deployment | Test-DeployHealth
            $health.Verdict | Should -Be 'Unhealthy'
            $health.Since | Should -Be $deployment.StartedAt
            $health.DeploymentId | Should -Be $deployment.Id
            $sentry = $health.Check('Sentry')
            $sentry.Outcome | Should -Be 'Failed'
            $sentry.Items[0].Id | Should -BeLike 'FRONTEND-*'
            $sentry.Items[0].Url | Should -Match '/sentry/organizations/govuk/issues/\d+/$'
            ($health | Format-Table | Out-String -Width 80) | Should -Match 'Sentry Failed'

            # Without -Since, the newest deploy is the one checked.
            (Test-DeployHealth -Application frontend -Environment integration).DeploymentId | Should -Be $deployment.Id
        }
    }

    It 'checks many piped applications, each on its own' {
        Use-Environment $isolated {
            $results = Get-Application | Test-DeployHealth -Environment staging
            @($results).Count | Should -Be 3
            $results.Application | Sort-Object | Should -Be @('contacts-admin', 'frontend', 'whitehall')
            # A Sentry project is the application's in every environment: frontend's new error counts in staging too.
            ($results | Where-Object Application -eq 'frontend').Verdict | Should -Be 'Unhealthy'
            ($results | Where-Object Application -ne 'frontend').Verdict | Sort-Object -Unique | Should -Be 'Healthy'
        }
    }

    It 'says Unknown, with the reason, when Sentry cannot be reached' {
        Use-Environment $isolated {
            Invoke-Control 'faults' @{ service = 'sentry'; kind = 'down' } | Out-Null
            try {
                $health = Test-DeployHealth -Application whitehall -Environment production
            } finally {
                Invoke-Control 'faults' -Method Delete | Out-Null
            }
            $health.Verdict | Should -Be 'Unknown'
            $health.Check('Sentry').Outcome | Should -Be 'Unknown'
            $health.Check('Sentry').Detail | Should -Match 'SentryUnreachable'
        }
    }

    It 'refuses an application with no deploy to check from, saying to give -Since' {
        Use-Environment $isolated {
            New-Application -Name 'not-yet-deployed' -Repository 'alphagov/not-yet-deployed' | Out-Null
            Test-DeployHealth -Application not-yet-deployed -Environment staging -ErrorVariable refused -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $refused[0].FullyQualifiedErrorId | Should -BeLike 'NoDeployToCheck,*'
            $refused[0].Exception.Message | Should -Match '-Since'
            Remove-Application -Name 'not-yet-deployed' -Confirm:$false
        }
    }
}

Describe 'Invoke-Deploy after the deploy' {
    It 'stops a runbook with -Verify -ErrorAction Stop when the deploy is unhealthy' {
        Use-Environment $isolated {
            Invoke-Control 'after-deploy' @{ application = 'whitehall'; environment = 'integration'; effect = 'critical-alert' } | Out-Null
            $ran = [System.Collections.Generic.List[string]]::new()
            $runbook = {
                Invoke-Deploy -Application whitehall -Environment integration -Verify -VerifyFor (New-TimeSpan -Minutes 5) -ErrorAction Stop | Out-Null
                $ran.Add('after the deploy')
            }
            $watch = [Diagnostics.Stopwatch]::StartNew()
            { & $runbook } | Should -Throw -ErrorId 'DeployUnhealthy,*'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 60 -Because 'it stops at the first unhealthy verdict'
            $ran | Should -BeNullOrEmpty
        }
    }

    It 'returns the deploy with its last health when it stays healthy' {
        Use-Environment $isolated {
            $deployment = Invoke-Deploy -Application contacts-admin -Environment integration -Verify -VerifyFor (New-TimeSpan -Seconds 2)
            $deployment.Status | Should -Be 'Succeeded'
            $deployment.Health.Verdict | Should -Be 'Healthy'
        }
    }

    It 'writes a typed SmokeTestFailed error when the smoke tests fail after a successful deploy' {
        Use-Environment $isolated {
            Invoke-Control 'after-deploy' @{ application = 'contacts-admin'; environment = 'integration'; effect = 'smoke-failure' } | Out-Null
            $deployment = Invoke-Deploy -Application contacts-admin -Environment integration -SmokeTest -ErrorVariable failed -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $deployment.Status | Should -Be 'Succeeded'
            $deployment.SmokeTest | Should -Be 'Failed'
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'SmokeTestFailed,*'
            $failed[0].Exception.Message | Should -Match 'Undo-Deployment'
        }
    }

    It 'refuses -Verify with -NoWait' {
        Use-Environment $isolated {
            { Invoke-Deploy -Application frontend -Environment integration -Verify -NoWait -ErrorAction Stop } | Should -Throw -ErrorId 'VerifyWithNoWait,*'
        }
    }
}
