# What really runs: a fresh store against a sandbox whose Jenkins, GitHub and Release app already
# have history (CI's Integration deploys, colleagues' deploys, a migration that is not a deploy).
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
        $script:control = (Get-GovukDeployConfiguration -Name ReleaseAppUrl).Value -replace 'release/$', '_sandbox/'
        $script:me = (Get-GovukDeployConfiguration -Name JenkinsUser).Value
    }
}

AfterAll {
    Use-Environment $isolated {
        Stop-GovukDeploySandbox
        Set-GovukDeployConfiguration -Reset DeployWindowPolicies
        Set-GovukDeployConfiguration -Reset DeploymentSyncMaxAge
    }
}

Describe 'On a fresh store, what each environment runs is observed' {
    It 'shows every environment in Get-DeployStatus, by deploy name as well as repository name' {
        Use-Environment $isolated {
            @(Get-Deployment -Application contacts-admin -Offline -WarningAction SilentlyContinue) | Should -BeNullOrEmpty -Because 'the store is new and -Offline reads nothing'
            $status = Get-DeployStatus -Application contacts-admin
            $status.DeployName | Should -Be 'contacts'
            $status.Repository | Should -Be 'alphagov/contacts-admin'
            $status.Integration | Should -Be 'release_8'
            $status.Staging | Should -Be 'release_7'
            $status.Production | Should -Be 'release_6'
            $status.Status | Should -Be 'UndeployedChangesInStaging'
            $status.Unknown | Should -BeNullOrEmpty
            (Get-Release -Application contacts-admin -Tag release_8).DeployedTo | Should -Be @('integration')
        }
    }

    It 'lists deploys made by others, with who made them, and a migration that did not change what runs' {
        Use-Environment $isolated {
            $observed = Get-Deployment | Where-Object Source -eq 'Jenkins'
            $observed | Should -Not -BeNullOrEmpty
            ($observed | Where-Object Environment -eq 'integration').DeployedBy | Sort-Object -Unique | Should -Be 'CI'
            $others = $observed | Where-Object { $_.Environment -ne 'integration' -and $_.DeployedBy -ne $me }
            $others | Should -Not -BeNullOrEmpty -Because 'the seed has deploys by colleagues'
            $others[0].BuildUrl | Should -Match '/jenkins/(staging|production)/job/Deploy_App/\d+/'
            $tasks = $observed | Where-Object DeployTask -ne 'deploy'
            $tasks | Should -Not -BeNullOrEmpty
            foreach ($task in $tasks) {
                $running = Get-DeployStatus -Application $task.Application
                $running.($task.Environment.Substring(0, 1).ToUpper() + $task.Environment.Substring(1)) |
                    Should -Not -BeNullOrEmpty -Because 'a migration does not make an environment run nothing'
            }
        }
    }

    It 'lists the commits production would get, including other people''s' {
        Use-Environment $isolated {
            $changes = Get-UndeployedChange -Application frontend -Environment production -WarningVariable warnings
            $changes | Should -Not -BeNullOrEmpty
            ($changes | Where-Object IsOtherAuthor) | Should -Not -BeNullOrEmpty
            "$warnings" | Should -Not -Match 'never been deployed'
        }
    }

    It 'passes promotion order for the release that CI deployed to integration' {
        Use-Environment $isolated {
            $verdicts = Invoke-Deploy -Application frontend -Environment staging -Release release_12 -WhatIf
            ($verdicts | Where-Object Gate -eq 'PromotionOrder').Outcome | Should -Be 'Passed'
            ($verdicts | Where-Object Gate -eq 'PromotionOrder').Detail | Should -Match 'Jenkins'
        }
    }

    It 'records our own deploy once, matched by its build URL' {
        Use-Environment $isolated {
            $deployment = Invoke-Deploy -Application whitehall -Environment integration
            Sync-Deployment -Application whitehall | Out-Null
            @(Get-Deployment -Application whitehall | Where-Object BuildUrl -eq $deployment.BuildUrl).Count | Should -Be 1
            (Get-Deployment -Application whitehall -Last 1).Source | Should -Be 'GovukDeploy'
        }
    }
}

Describe 'Promoting what is behind' {
    It 'deploys what integration runs to staging, from Get-DeployStatus through the pipeline' {
        Use-Environment $isolated {
            $before = Get-DeployStatus -Application frontend
            $before.Status | Should -Be 'UndeployedChangesInStaging'
            $deployment = Get-DeployStatus | Where-Object Status -eq 'UndeployedChangesInStaging' | Where-Object Application -eq 'frontend' |
                Invoke-Deploy -Environment staging -FromEnvironment integration -Force
            $deployment.Release | Should -Be $before.Integration
            $deployment.Status | Should -Be 'Succeeded'
            (Get-DeployStatus -Application frontend).Staging | Should -Be $before.Integration
        }
    }

    It 'refuses an unknown or later -FromEnvironment, and -FromEnvironment with -Release' {
        Use-Environment $isolated {
            { Invoke-Deploy -Application frontend -Environment staging -FromEnvironment preview -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownEnvironment,*'
            { Invoke-Deploy -Application frontend -Environment staging -FromEnvironment production -ErrorAction Stop } | Should -Throw -ErrorId 'FromEnvironmentNotEarlier,*'
            { Invoke-Deploy -Application frontend -Environment staging -FromEnvironment integration -Release release_12 -ErrorAction Stop } | Should -Throw -ErrorId 'FromEnvironmentAndReleaseGiven,*'
        }
    }
}

Describe 'When Jenkins cannot be read' {
    BeforeEach {
        Use-Environment $isolated {
            # The store's view must be old enough to be read again.
            Set-GovukDeployConfiguration -Name DeploymentSyncMaxAge -Value 1
            Start-Sleep -Milliseconds 1100
            Invoke-RestMethod -Method Post -Uri ($control + 'faults') -ContentType 'application/json' -Body '{"kind": "down", "service": "jenkins", "environment": "integration"}' | Out-Null
        }
    }

    AfterEach {
        Use-Environment $isolated {
            Invoke-RestMethod -Method Delete -Uri ($control + 'faults') | Out-Null
            Set-GovukDeployConfiguration -Reset DeploymentSyncMaxAge
        }
    }

    It 'shows Unknown with -WhatIf, and refuses a real deploy' {
        Use-Environment $isolated {
            $verdicts = Invoke-Deploy -Application contacts-admin -Environment staging -Release release_8 -WhatIf -WarningAction SilentlyContinue
            $promotion = $verdicts | Where-Object Gate -eq 'PromotionOrder'
            $promotion.Outcome | Should -Be 'Unknown'
            $promotion.Detail | Should -Match 'integration Jenkins could not be read'
            { Invoke-Deploy -Application contacts-admin -Environment staging -Release release_8 -WarningAction SilentlyContinue -ErrorAction Stop } |
                Should -Throw -ErrorId 'PromotionOrderUnknown,*'
        }
    }

    It 'says Unknown in Get-DeployStatus and keeps the store''s last view, with its age' {
        Use-Environment $isolated {
            $status = Get-DeployStatus -Application contacts-admin -WarningVariable warnings -WarningAction SilentlyContinue
            $status.Status | Should -Be 'Unknown'
            $status.Unknown | Should -Be @('integration')
            $status.Integration | Should -Be 'release_8'
            "$warnings" | Should -Match 'What runs in integration is unknown'
            "$warnings" | Should -Match 'read \d+s ago'
        }
    }

    It 'refuses to list undeployed changes rather than compare with a stale view, unless -Offline' {
        Use-Environment $isolated {
            { Get-UndeployedChange -Application contacts-admin -Environment integration -ErrorAction Stop } | Should -Throw -ErrorId 'DeployedStateUnknown,*'
            Get-UndeployedChange -Application contacts-admin -Environment integration -Offline -WarningVariable offline -WarningAction SilentlyContinue | Out-Null
            "$offline" | Should -Match '-Offline'
        }
    }

    It 'reports the environment unknown from Sync-Deployment, and reads the others' {
        Use-Environment $isolated {
            $report = Sync-Deployment -WarningAction SilentlyContinue
            ($report.Environments | Where-Object Environment -eq 'integration').Known | Should -BeFalse
            ($report.Environments | Where-Object Environment -eq 'staging').Known | Should -BeTrue
        }
    }
}
