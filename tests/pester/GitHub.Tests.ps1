BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isolated = New-IsolatedEnvironment
    Use-Environment $isolated {
        Import-Module (Get-TestModulePath) -Force
        # The catalogue first: the sandbox keeps these entries and adds only the applications it has beyond them.
        New-Application -Name 'contacts-admin' -DeployName 'contacts' -Team '#publishing' | Out-Null
        New-Application -Name 'whitehall' -Team '#publishing' | Out-Null
        New-Application -Name 'frontend' -Team '#frontend' | Out-Null
        $script:sandbox = Start-GovukDeploySandbox -DeploySeconds 1 -CiSeconds 0.5
    }
}

AfterAll {
    Use-Environment $isolated { Stop-GovukDeploySandbox }
}

Describe 'Get-Release' {
    It 'orders releases by number, not as text' {
        Use-Environment $isolated {
            $releases = Get-Release -Application whitehall -First 3
            $releases.Tag | Should -Be @('release_120', 'release_119', 'release_118')
            $releases[0].Sha | Should -Match '^[0-9a-f]{40}$'
            $releases[0].Application | Should -Be 'whitehall'
            (Get-Release -Application whitehall -Latest).Tag | Should -Be 'release_120'
        }
    }

    It 'orders v* tags as SemVer versions: v1.12.0 after v1.9.0, and v1.10.0-rc1 before v1.10.0' {
        Use-Environment $isolated {
            # The sandbox's frontend tags vX.Y.Z as well as release_N.
            New-Application -Name 'frontend-versions' -Repository 'alphagov/frontend' -DeployName 'frontend' -ReleaseTagPattern 'v*' | Out-Null
            try {
                (Get-Release -Application frontend-versions).Tag | Should -Be @('v1.12.0', 'v1.10.0', 'v1.10.0-rc1', 'v1.9.0', 'v1.2.0')
                (Get-Release -Application frontend-versions -Latest).Tag | Should -Be 'v1.12.0'
                (Get-Release -Application frontend -First 2).Tag | Should -Be @('release_12', 'release_11')
            } finally {
                Remove-Application -Name 'frontend-versions' -Confirm:$false
            }
        }
    }

    It 'takes many applications from the pipeline and answers for each' {
        Use-Environment $isolated {
            $latest = Get-Application | Get-Release -Latest
            ($latest.Application | Sort-Object) | Should -Be @('contacts-admin', 'frontend', 'whitehall')
        }
    }

    It 'reports an unknown tag and an unknown application with typed errors' {
        Use-Environment $isolated {
            Get-Release -Application whitehall -Tag 'release_9999' -ErrorVariable failure -ErrorAction SilentlyContinue
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'ReleaseNotFound,*'
            $failure[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            Get-Release -Application whitehal -ErrorVariable missing -ErrorAction SilentlyContinue
            $missing[0].FullyQualifiedErrorId | Should -BeLike 'ApplicationNotFound,*'
            $missing[0].Exception.Message | Should -Match 'whitehall'
        }
    }
}

Describe 'Pull requests' {
    It 'shows CI and review states as GitHub reports them' {
        Use-Environment $isolated {
            $pulls = Get-PullRequest -Application frontend -State All
            $byTitle = @{}; $pulls | ForEach-Object { $byTitle[$_.Title] = $_ }
            $byTitle['Update the cookie banner wording'].CiState | Should -Be 'Success'
            $byTitle['Update the cookie banner wording'].ReviewState | Should -Be 'Approved'
            $byTitle['Upgrade the govuk_publishing_components gem'].CiState | Should -Be 'Failure'
            $byTitle['Cache the homepage for longer'].ReviewState | Should -Be 'ChangesRequested'
            $byTitle['Try a new layout for the find-local-council page'].Draft | Should -BeTrue
        }
    }

    It 'refuses to merge a pull request whose CI failed, and merges a green approved one' {
        Use-Environment $isolated {
            $failing = Get-PullRequest -Application frontend | Where-Object CiState -eq 'Failure' | Select-Object -First 1
            { Merge-PullRequest -Application frontend -Number $failing.Number -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'PullRequestNotReady,*'
            $ready = Get-PullRequest -Application contacts-admin | Where-Object { $_.CiState -eq 'Success' -and $_.ReviewState -eq 'Approved' } | Select-Object -First 1
            $result = $ready | Merge-PullRequest -Confirm:$false
            $result.Merged | Should -BeTrue
            $result.HeadSha | Should -Be $ready.HeadSha
        }
    }

    It 'waits while CI is still running, then returns the result' {
        Use-Environment $isolated {
            $control = (Get-GovukDeployConfiguration -Name ReleaseAppUrl).Value -replace 'release/$', '_sandbox/'
            $new = Invoke-RestMethod -Method Post -Uri ($control + 'github/repos/alphagov/frontend/pulls') -ContentType 'application/json' -Body '{"title": "Pending at first", "ci": "failure"}'
            (Get-PullRequest -Application frontend -Number $new.number).CiState | Should -Be 'Pending'
            (Wait-PullRequestCheck -Application frontend -Number $new.number -Timeout '00:01:00').CiState | Should -Be 'Failure'
        }
    }

    It 'waits for CI with a timeout' {
        Use-Environment $isolated {
            $green = Get-PullRequest -Application frontend | Where-Object Title -eq 'Update the cookie banner wording'
            (Wait-PullRequestCheck -Application frontend -Number $green.Number -Timeout '00:01:00').CiState | Should -Be 'Success'
        }
    }
}

Describe 'Get-DeployStatus' {
    It 'shows what each environment runs on a fresh store, from the deploys observed in Jenkins' {
        Use-Environment $isolated {
            # This store has recorded no deploy of its own (it once said NeverDeployed here).
            $status = Get-DeployStatus -Application whitehall
            $status.LatestRelease | Should -Be 'release_120'
            $status.Integration | Should -Be 'release_120'
            $status.Staging | Should -Be 'release_119'
            $status.Production | Should -Be 'release_118'
            $status.StagingBehind | Should -Be 1
            $status.Status | Should -Be 'UndeployedChangesInStaging'
        }
    }
}
