BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isolated = New-IsolatedEnvironment
    $alwaysOpen = '{"staging": {"AlwaysOpen": true}, "production": {"AlwaysOpen": true}}'
    $neverOpen = '{"staging": {"Hours": [{"Days": ["Monday"], "Opens": "00:00", "Closes": "00:01"}]}}'
    Use-Environment $isolated {
        Import-Module (Get-TestModulePath) -Force
        # The catalogue first: the sandbox keeps these entries and adds only the applications it has beyond them.
        New-Application -Name 'contacts-admin' -DeployName 'contacts' -Team '#publishing' | Out-Null
        New-Application -Name 'whitehall' -Team '#publishing' | Out-Null
        New-Application -Name 'frontend' -Team '#frontend' | Out-Null
        Start-GovukDeploySandbox -DeploySeconds 1 -CiSeconds 0.5 | Out-Null
        # Deploy hours would make these tests depend on the time they run; the window gate has its own tests below.
        Set-GovukDeployConfiguration -Name DeployWindowPolicies -Value $alwaysOpen
    }
}

AfterAll {
    # Session settings live as long as the process: leave none behind for the other test files.
    Use-Environment $isolated {
        Stop-GovukDeploySandbox
        Set-GovukDeployConfiguration -Reset DeployWindowPolicies
    }
}

Describe 'Invoke-Deploy' {
    It 'deploys the latest release to integration, records it, and tells the Release app' {
        Use-Environment $isolated {
            $deployment = Invoke-Deploy -Application whitehall -Environment integration -InformationVariable console
            $deployment.Status | Should -Be 'Succeeded'
            $deployment.Release | Should -Be 'release_120'
            $deployment.BuildUrl | Should -Match '/jenkins/integration/job/Deploy_App/\d+/'
            $deployment.Gates.Gate | Should -Be @('Release', 'PromotionOrder', 'Freeze', 'Window', 'OtherChanges', 'DeployLock')
            "$console" | Should -Not -BeNullOrEmpty
            (Get-Deployment -Application whitehall -Last 1).Id | Should -Be $deployment.Id
            $recorded = Invoke-RestMethod ((Get-GovukDeployConfiguration -Name ReleaseAppUrl).Value -replace 'release/$', '_sandbox/release/deployments?repo=alphagov/whitehall')
            @($recorded).Count | Should -BeGreaterThan 0
            (Get-Release -Application whitehall -Latest).DeployedTo | Should -Contain 'integration'
        }
    }

    It 'refuses production before staging (promotion order), even with -Force' {
        Use-Environment $isolated {
            { Invoke-Deploy -Application whitehall -Environment production -Force -Reason 'try' -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'PromotionOrderViolated,*'
        }
    }

    It 'shows every gate with -WhatIf and changes nothing' {
        Use-Environment $isolated {
            $before = @(Get-Deployment).Count
            $verdicts = Invoke-Deploy -Application whitehall -Environment production -WhatIf
            $verdicts.Count | Should -Be 6
            ($verdicts | Where-Object Gate -eq 'PromotionOrder').Outcome | Should -Be 'Failed'
            @(Get-Deployment).Count | Should -Be $before
        }
    }

    It 'honours -WhatIf passed down from a calling function' {
        Use-Environment $isolated {
            function Deploy-Staging { [CmdletBinding(SupportsShouldProcess)] param() Invoke-Deploy -Application frontend -Environment integration }
            $before = @(Get-Deployment).Count
            $verdicts = Deploy-Staging -WhatIf
            $verdicts.Gate | Should -Contain 'DeployLock'
            @(Get-Deployment).Count | Should -Be $before
        }
    }

    It 'refuses -Release and -Branch together (separate parameter sets)' {
        Use-Environment $isolated {
            { Invoke-Deploy -Application frontend -Environment integration -Release release_12 -Branch main -ErrorAction Stop } |
                Should -Throw -ErrorId 'AmbiguousParameterSet,*'
        }
    }

    It 'is stopped by a freeze, and passes it with -Force and a reason, which is audited' {
        Use-Environment $isolated {
            Set-DeployFreeze -Application whitehall -Reason 'Migration' -Contact '#db' -Environment staging
            { Invoke-Deploy -Application whitehall -Environment staging -ErrorAction Stop } | Should -Throw -ErrorId 'DeployFrozen,*'
            { Invoke-Deploy -Application whitehall -Environment staging -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ForceNeedsReason,*'
            $deployment = Invoke-Deploy -Application whitehall -Environment staging -Force -Reason 'Security fix cannot wait'
            $deployment.Status | Should -Be 'Succeeded'
            (Get-AuditEvent -Application whitehall -Kind GateOverridden).Detail | Should -Match 'Security fix cannot wait'
            Remove-DeployFreeze -Application whitehall
        }
    }

    It 'is stopped outside the deploy window unless overridden' {
        Use-Environment $isolated {
            Set-GovukDeployConfiguration -Name DeployWindowPolicies -Value $neverOpen
            try {
                Invoke-Deploy -Application contacts-admin -Environment integration | Out-Null
                { Invoke-Deploy -Application contacts-admin -Environment staging -ErrorAction Stop } | Should -Throw -ErrorId 'OutsideDeployWindow,*'
                (Invoke-Deploy -Application contacts-admin -Environment staging -Force -Reason 'Out-of-hours fix').Status | Should -Be 'Succeeded'
            } finally {
                Set-GovukDeployConfiguration -Name DeployWindowPolicies -Value $alwaysOpen
            }
        }
    }

    It 'reports a failed build with its console and address' {
        Use-Environment $isolated {
            $control = (Get-GovukDeployConfiguration -Name ReleaseAppUrl).Value -replace 'release/$', '_sandbox/'
            Invoke-RestMethod -Method Post -Uri ($control + 'faults') -ContentType 'application/json' -Body '{"kind": "deploy-fail", "service": "jenkins"}' | Out-Null
            try {
                Invoke-Deploy -Application frontend -Environment integration -ErrorVariable failure -ErrorAction SilentlyContinue | Out-Null
            } finally {
                Invoke-RestMethod -Method Delete -Uri ($control + 'faults') | Out-Null
            }
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'DeployFailed,*'
            $failure[0].Exception.Message | Should -Match '/jenkins/integration/job/Deploy_App/'
            (Get-Deployment -Application frontend -Last 1).Status | Should -Be 'Failed'
        }
    }

    It 'returns at once with -NoWait, and Wait-Deployment follows the deploy to its end' {
        Use-Environment $isolated {
            $started = Invoke-Deploy -Application frontend -Environment integration -NoWait
            $started.Status | Should -Be 'InProgress'
            $finished = $started | Wait-Deployment
            $finished.Status | Should -Be 'Succeeded'
            $finished.Id | Should -Be $started.Id
        }
    }

    It 'deploys many applications at once, each result as it finishes' {
        Use-Environment $isolated {
            $results = Get-Application | Get-Release -Latest | Invoke-Deploy -Environment integration -ThrottleLimit 3 -SmokeTest
            @($results).Count | Should -Be 3
            $results.Status | Sort-Object -Unique | Should -Be 'Succeeded'
            $results.SmokeTest | Sort-Object -Unique | Should -Be 'Passed'
        }
    }
}

Describe 'The Release app''s deploy_freeze flag' {
    It 'counts as a freeze wherever freezes are read, and an unreachable Release app is unknown, never "not frozen"' {
        Use-Environment $isolated {
            $control = (Get-GovukDeployConfiguration -Name ReleaseAppUrl).Value -replace 'release/$', '_sandbox/'
            Invoke-RestMethod -Method Post -Uri ($control + 'release/applications/contacts-admin') -ContentType 'application/json' -Body '{"deploy_freeze": true, "notes": "Do not deploy: data migration"}' | Out-Null
            try {
                $freeze = Get-DeployFreeze -Application contacts-admin | Where-Object Source -eq 'ReleaseApp'
                $freeze.Reason | Should -Match 'data migration'
                $verdict = Test-DeployWindow -Application contacts-admin -Environment integration -Detailed
                $verdict.Reason | Should -Be 'Frozen'
                (Get-DeployStatus -Application contacts-admin).Frozen | Should -Contain 'production'
                { Invoke-Deploy -Application contacts-admin -Environment integration -ErrorAction Stop } | Should -Throw -ErrorId 'DeployFrozen,*'
            } finally {
                Invoke-RestMethod -Method Post -Uri ($control + 'release/applications/contacts-admin') -ContentType 'application/json' -Body '{"deploy_freeze": false, "notes": ""}' | Out-Null
            }

            Invoke-RestMethod -Method Post -Uri ($control + 'faults') -ContentType 'application/json' -Body '{"kind": "down", "service": "release"}' | Out-Null
            try {
                Test-DeployWindow -Application contacts-admin -Environment integration -ErrorVariable unknown -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
                $unknown[0].FullyQualifiedErrorId | Should -BeLike 'FreezeStatusUnknown,*'
                (Get-DeployStatus -Application contacts-admin -WarningAction SilentlyContinue).Frozen | Should -Contain 'unknown'
                { Invoke-Deploy -Application contacts-admin -Environment integration -ErrorAction Stop } | Should -Throw -ErrorId 'FreezeStatusUnknown,*'
            } finally {
                Invoke-RestMethod -Method Delete -Uri ($control + 'faults') | Out-Null
            }
        }
    }
}

Describe 'Invoke-SmokeTest' {
    It 'runs Smokey and reports the result' {
        Use-Environment $isolated {
            $result = Invoke-SmokeTest -Application whitehall -Environment integration
            $result.Result | Should -Be 'Passed'
            $result.BuildUrl | Should -Match '/job/Smokey/'
        }
    }
}

Describe 'Get-UndeployedChange and Get-DeployStatus after deploys' {
    It 'knows what each environment runs' {
        Use-Environment $isolated {
            $status = Get-DeployStatus -Application whitehall
            $status.Integration | Should -Be 'release_120'
            $status.Staging | Should -Be 'release_120'
            $status.Status | Should -Be 'StagingAndProductionNotInSync'
            Get-UndeployedChange -Application whitehall -Environment integration -WarningVariable warnings | Should -BeNullOrEmpty
            $warnings | Should -BeNullOrEmpty -Because 'integration runs the latest release, so nothing is new and nothing is unknown'
            # Production's deploys were made in Jenkins by people, not by these tests: they are observed all the same.
            $production = Get-UndeployedChange -Application whitehall -Environment production -WarningVariable never
            $production.Message | Should -Contain 'Change 120 to whitehall'
            $production.Message | Should -Contain 'Change 119 to whitehall'
            "$never" | Should -Not -Match 'never been deployed'
        }
    }
}
