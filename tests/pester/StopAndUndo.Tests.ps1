# When a deploy goes wrong: a time limit on the wait, Stop-Deployment, and Undo-Deployment back to
# the release that ran before, against the sandbox (its deploy-hang fault and seeded Jenkins history).
# Pester runs pwsh -NonInteractive: a production change that would prompt is refused, so tests pass -Confirm:$false.
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
        $script:sandbox = Start-GovukDeploySandbox -DeploySeconds 1 -CiSeconds 0.5
        Set-GovukDeployConfiguration -Name DeployWindowPolicies -Value $alwaysOpen
    }

    function Add-Fault([string] $Kind, [string] $Environment) {
        $body = @{ service = 'jenkins'; kind = $Kind; environment = $Environment } | ConvertTo-Json
        Invoke-RestMethod -Method Post -Uri ($sandbox.ControlUrl + 'faults') -ContentType 'application/json' -Body $body | Out-Null
    }

    # The sandbox's Jenkins lets anyone read, as many do.
    function Get-Build([string] $Url) { Invoke-RestMethod -Uri ($Url + 'api/json') }
}

AfterAll {
    Use-Environment $isolated {
        Stop-GovukDeploySandbox
        Set-GovukDeployConfiguration -Reset DeployWindowPolicies
    }
}

Describe 'A deploy that hangs' {
    It 'ends the wait with DeployTimeout, stays in progress, and Stop-Deployment aborts it' {
        Use-Environment $isolated {
            Add-Fault deploy-hang integration
            $started = Get-Date
            { Invoke-Deploy -Application frontend -Environment integration -TimeoutSec 3 -ErrorAction Stop } | Should -Throw -ErrorId 'DeployTimeout,*'
            ((Get-Date) - $started).TotalSeconds | Should -BeLessThan 30

            $hung = Get-Deployment -Application frontend -Environment integration -InProgress
            @($hung).Count | Should -Be 1
            $hung.BuildUrl | Should -Match '/jenkins/integration/job/Deploy_App/\d+/'
            (Get-Build $hung.BuildUrl).building | Should -BeTrue -Because 'the deploy itself is left running'

            # Wait-Deployment's limit ends its wait the same way, and leaves it as it was.
            $hung | Wait-Deployment -TimeoutSec 1 -ErrorVariable waited -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $waited[0].FullyQualifiedErrorId | Should -BeLike 'DeployTimeout,*'
            $waited[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            $waited[0].Exception.Message | Should -Match "Stop-Deployment -Id $($hung.Id)"

            $stopped = $hung | Stop-Deployment -Reason 'Stuck rolling out'
            $stopped.Status | Should -Be 'Aborted'
            $stopped.Id | Should -Be $hung.Id
            (Get-Build $hung.BuildUrl).result | Should -Be 'ABORTED'
            Get-Deployment -Application frontend -InProgress | Should -BeNullOrEmpty
            $audit = Get-AuditEvent -Application frontend -Kind DeployFinished -Last 1
            $audit.Detail | Should -Match 'stopped with Stop-Deployment'
            $audit.Detail | Should -Match 'Stuck rolling out'
        }
    }

    It 'refuses to stop a deploy that has ended' {
        Use-Environment $isolated {
            { Get-Deployment -Application frontend -Last 1 | Stop-Deployment -ErrorAction Stop } | Should -Throw -ErrorId 'DeploymentAlreadyEnded,*'
        }
    }

    It 'stops a production deploy only when told not to ask, in a session that cannot ask' {
        Use-Environment $isolated {
            Add-Fault deploy-hang production
            $deploy = Invoke-Deploy -Application frontend -Environment production -Release release_11 -NoWait -Force -Confirm:$false -WarningAction SilentlyContinue
            $deploy.Status | Should -Be 'InProgress'

            $refused = { Stop-Deployment -Id $deploy.Id -ErrorAction Stop } | Should -Throw -ErrorId 'ConfirmationRequired,*' -PassThru
            $refused.Exception.Message | Should -Match '-Confirm:\$false'
            (Get-Deployment -Application frontend -Environment production -Last 1).Status | Should -Be 'InProgress'

            (Stop-Deployment -Id $deploy.Id -Confirm:$false).Status | Should -Be 'Aborted'
        }
    }
}

Describe 'Undo-Deployment' {
    It 'shows the plan with -WhatIf: the release that ran before, whose changes go, and the rollback verdicts' {
        Use-Environment $isolated {
            $plan = Undo-Deployment -Application contacts-admin -Environment production -Reason 'Contact pages answer 500' -WhatIf
            $plan.CurrentRelease | Should -Be 'release_6'
            $plan.TargetRelease | Should -Be 'release_5'
            $plan.Current.Source | Should -Be 'Jenkins'
            $plan.ChangesTakenOut.Message | Should -Contain 'Change 6 to contacts-admin'
            ($plan.Gates | Where-Object Gate -eq 'PromotionOrder').Outcome | Should -Be 'Skipped'
            ($plan.Gates | Where-Object Gate -eq 'Window').Outcome | Should -Be 'Passed'
            $plan.Passed | Should -BeTrue
            Get-Deployment -Application contacts-admin | Where-Object IsRollback | Should -BeNullOrEmpty
        }
    }

    It 'is refused in a session that cannot ask, without -Confirm:$false' {
        Use-Environment $isolated {
            { Undo-Deployment -Application contacts-admin -Environment production -Reason 'Contact pages answer 500' -ErrorAction Stop -WarningAction SilentlyContinue } |
                Should -Throw -ErrorId 'ConfirmationRequired,*'
            Get-Deployment -Application contacts-admin | Where-Object IsRollback | Should -BeNullOrEmpty
        }
    }

    It 'returns to the previous release, is recorded as a rollback, and is audited' {
        Use-Environment $isolated {
            $current = Get-Deployment -Application contacts-admin -Environment production |
                Where-Object { $_.Status -eq 'Succeeded' -and $_.DeployTask -eq 'deploy' } | Select-Object -First 1
            $current.Release | Should -Be 'release_6'

            $rollback = Undo-Deployment -Application contacts-admin -Environment production -Reason 'Contact pages answer 500' -Confirm:$false -WarningVariable warned
            $rollback.Status | Should -Be 'Succeeded'
            $rollback.Release | Should -Be 'release_5'
            $rollback.IsRollback | Should -BeTrue
            $rollback.RollsBack | Should -Be $current.BuildUrl
            "$warned" | Should -Match 'Change 6 to contacts-admin' -Because 'the authors of what is taken out should be told'

            $audit = Get-AuditEvent -Application contacts-admin -Kind RollbackStarted
            @($audit).Count | Should -Be 1
            $audit.Detail | Should -Match 'Contact pages answer 500'
            $audit.Detail | Should -Match ([regex]::Escape($current.BuildUrl))
            (Get-DeployStatus -Application contacts-admin).Production | Should -Be 'release_5'
        }
    }

    It 'refuses a -Release that never ran there, and where nothing ran before' {
        Use-Environment $isolated {
            { Undo-Deployment -Application contacts-admin -Environment production -Release release_8 -Reason 'x' -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'RollbackReleaseNotDeployedBefore,*'
            New-Application -Name 'brand-new' -Repository 'alphagov/brand-new' | Out-Null
            { Undo-Deployment -Application brand-new -Environment staging -Reason 'x' -ErrorAction Stop -WarningAction SilentlyContinue } |
                Should -Throw -ErrorId 'NothingToUndo,*'
        }
    }
}
