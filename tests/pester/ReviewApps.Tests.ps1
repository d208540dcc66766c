# Review apps and branch deploys on pull requests, against the sandbox's GitHub (frontend has review apps).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # No browser: these tests must print addresses, never open one.
    $isolated = New-IsolatedEnvironment
    $isolated.BROWSER = ''
    $isolated.DISPLAY = ''
    $isolated.WAYLAND_DISPLAY = ''
    Use-Environment $isolated {
        Import-Module (Get-TestModulePath) -Force
        # The catalogue first: the sandbox keeps these entries and adds only the applications it has beyond them.
        New-Application -Name 'frontend' -Team '#frontend' | Out-Null
        New-Application -Name 'whitehall' -Team '#publishing' | Out-Null
        Start-GovukDeploySandbox -DeploySeconds 0.5 -CiSeconds 0.3 | Out-Null
        $script:control = (Get-GovukDeployConfiguration -Name ReleaseAppUrl).Value -replace 'release/$', '_sandbox/'
        $script:sandbox = $control -replace '_sandbox/$', ''
    }
}

AfterAll {
    Use-Environment $isolated { Stop-GovukDeploySandbox }
}

Describe 'Get-PullRequest and review apps' {
    It 'shows each pull request''s review app from GitHub''s deployments' {
        Use-Environment $isolated {
            $pulls = Get-PullRequest -Application frontend
            @($pulls).Count | Should -Be 5
            foreach ($pull in $pulls) {
                $pull.ReviewAppUrl | Should -Be "$($sandbox)review-apps/frontend-pr-$($pull.Number)/"
                $pull.ReviewAppState | Should -Be 'success'
                $pull.IsFork | Should -BeFalse
            }
            @(Get-PullRequest -Application whitehall) | Should -BeNullOrEmpty
        }
    }

    It 'prints the review app''s and the page''s address where there is no browser' {
        Use-Environment $isolated {
            $printed = Get-PullRequest -Application frontend -Number 13 -ReviewApp 6>&1
            "$printed" | Should -Be "$($sandbox)review-apps/frontend-pr-13/"
            $page = Get-PullRequest -Application frontend -Number 13 -Web -Verbose 6>&1 4>&1
            ($page | ForEach-Object { "$_" }) | Should -Contain "$($sandbox)alphagov/frontend/pull/13"
            ($page | ForEach-Object { "$_" }) -join "`n" | Should -Match 'no browser'
            @(Get-PullRequest -Application frontend -Number 13 -Web 6>$null) | Should -BeNullOrEmpty -Because '-Web returns nothing'
        }
    }

    It 'leaves the review app empty, with a verbose note, for a deployment with no statuses, and -ReviewApp says there is none' {
        Use-Environment $isolated {
            $opened = Invoke-RestMethod -Method Post -Uri ($control + 'github/repos/alphagov/whitehall/pulls') -ContentType 'application/json' -Body '{"title": "Try it", "ci": "success"}'
            $branch = (Get-PullRequest -Application whitehall -Number $opened.number).HeadBranch
            Invoke-RestMethod -Method Post -Uri ($control + 'github/repos/alphagov/whitehall/deployments') -ContentType 'application/json' -Body (@{ ref = $branch; environment = "whitehall-pr-$($opened.number)" } | ConvertTo-Json) | Out-Null

            $pull = Get-PullRequest -Application whitehall -Number $opened.number -Verbose 4>&1 | Tee-Object -Variable said | Where-Object { $_.PSObject.TypeNames -contains 'GovukDeploy.PullRequest' }
            $pull.ReviewAppUrl | Should -BeNullOrEmpty
            $pull.ReviewAppState | Should -BeNullOrEmpty
            ($said | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'has no statuses yet'
            { Get-PullRequest -Application whitehall -Number $opened.number -ReviewApp -ErrorAction Stop } | Should -Throw -ErrorId 'ReviewAppNotFound,*'
        }
    }
}

Describe 'A pull request into Invoke-Deploy' {
    It 'deploys the pull request''s head branch to integration, and the pull request shows it' {
        Use-Environment $isolated {
            $pull = Get-PullRequest -Application frontend -Number 13
            $pull.BranchDeploy | Should -BeNullOrEmpty

            $deployment = $pull | Invoke-Deploy -Environment integration
            $deployment.Status | Should -Be 'Succeeded'
            $deployment.IsBranchDeploy | Should -BeTrue
            $deployment.Release | Should -Be $pull.HeadBranch
            $deployment.Sha | Should -Be $pull.HeadSha -Because 'a branch moves on: the store keeps the commit that was deployed'
            $deployment.Environment | Should -Be 'integration'
            $status = Get-DeployStatus -Application frontend -WarningAction SilentlyContinue
            $status.Integration | Should -Be $pull.HeadBranch
            $status.Disagreements | Should -BeNullOrEmpty -Because 'a branch name with a slash is no reason to fail the deployed-to comparison'

            $again = Get-PullRequest -Application frontend -Number 13
            $again.BranchDeploy.Id | Should -Be $deployment.Id
            $again.BranchDeploy.Status | Should -Be 'Succeeded'
            (Get-PullRequest -Application frontend -Number 14).BranchDeploy | Should -BeNullOrEmpty
        }
    }

    It 'leaves out of the deployed-to comparison a branch deployed from Jenkins, whose commit is not known' {
        Use-Environment $isolated {
            $pull = Get-PullRequest -Application frontend -Number 15
            $info = Invoke-RestMethod ($control + 'info')
            $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($info.jenkinsUser):$($info.jenkinsApiToken)"))
            Invoke-WebRequest -Method Post -Uri ($sandbox + 'jenkins/integration/job/Deploy_App/buildWithParameters') -Headers @{ Authorization = "Basic $basic" } `
                -Body @{ TARGET_APPLICATION = 'frontend'; TAG = $pull.HeadBranch; DEPLOY_TASK = 'deploy' } | Out-Null
            $deadline = (Get-Date).AddSeconds(20)
            do {
                Start-Sleep -Milliseconds 300
                Sync-Deployment -Application frontend | Out-Null
                $seen = Get-Deployment -Application frontend -Environment integration -Offline -WarningAction SilentlyContinue | Where-Object { $_.Source -eq 'Jenkins' -and $_.Release -eq $pull.HeadBranch -and $_.Status -eq 'Succeeded' }
            } until ($seen -or (Get-Date) -gt $deadline)
            $seen | Should -Not -BeNullOrEmpty
            $seen.Sha | Should -BeNullOrEmpty

            $status = Get-DeployStatus -Application frontend -WarningAction SilentlyContinue
            $status.Integration | Should -Be $pull.HeadBranch
            $status.Disagreements | Should -BeNullOrEmpty -Because 'a branch name with a slash is no reason to fail the deployed-to comparison'
            Invoke-Deploy -Application frontend -Environment staging -WhatIf -WarningVariable warned -WarningAction SilentlyContinue 6>$null | Out-Null
            "$warned" | Should -Not -Match 'could not be read'
        }
    }

    It 'refuses a pull request from a fork, saying Jenkins cannot fetch its branch' {
        Use-Environment $isolated {
            $opened = Invoke-RestMethod -Method Post -Uri ($control + 'github/repos/alphagov/frontend/pulls') -ContentType 'application/json' -Body '{"title": "A fix from outside", "author": "bob-govuk", "fork": true}'
            $pull = Get-PullRequest -Application frontend -Number $opened.number
            $pull.IsFork | Should -BeTrue
            $pull.HeadRepository | Should -Be 'bob-govuk/frontend'

            $pull | Invoke-Deploy -Environment integration -ErrorVariable refused -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $refused[0].FullyQualifiedErrorId | Should -BeLike 'BranchFromFork,*'
            $refused[0].Exception.Message | Should -Match 'Jenkins'
            $refused[0].TargetObject | Should -Be 'bob-govuk/frontend'
        }
    }

    It 'still deploys releases piped in, which have no head branch' {
        Use-Environment $isolated {
            (Get-Release -Application whitehall -Latest | Invoke-Deploy -Environment integration).IsBranchDeploy | Should -BeFalse
        }
    }
}

Describe 'Bad input' {
    It 'is a clear error for an application not in the catalogue, a pull request that is not there, and a repository the token cannot see' {
        Use-Environment $isolated {
            { Get-PullRequest -Application frontendd -ErrorAction Stop } | Should -Throw -ErrorId 'ApplicationNotFound,*'
            { Get-PullRequest -Application frontend -Number 999 -ErrorAction Stop } | Should -Throw -ErrorId 'PullRequestNotFound,*'

            Invoke-RestMethod -Method Post -Uri ($control + 'github/repos/alphagov/whitehall/visibility') -ContentType 'application/json' -Body '{"visibility": "private"}' | Out-Null
            $outsider = Invoke-RestMethod -Method Post -Uri ($control + 'github/tokens') -ContentType 'application/json' -Body '{"login": "outsider"}'
            $own = (Invoke-RestMethod ($control + 'info')).gitHubToken
            Set-GovukDeployConfiguration -GitHubToken (ConvertTo-SecureString $outsider.token -AsPlainText -Force)
            try {
                Get-PullRequest -Application whitehall -ErrorVariable hidden -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
                $hidden[0].FullyQualifiedErrorId | Should -BeLike 'RepositoryNotFound,*'
                $hidden[0].Exception.Message | Should -Match 'may be private and the token may lack access'
                $hidden[0].Exception.Message | Should -Not -Match ([regex]::Escape($outsider.token))
            }
            finally {
                Set-GovukDeployConfiguration -GitHubToken (ConvertTo-SecureString $own -AsPlainText -Force)
            }
            # The organisation's own token still sees it.
            { Get-PullRequest -Application whitehall -ErrorAction Stop } | Should -Not -Throw
        }
    }
}
