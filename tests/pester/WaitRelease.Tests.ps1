BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isolated = New-IsolatedEnvironment
    Use-Environment $isolated {
        Import-Module (Get-TestModulePath) -Force
        # The catalogue first: the sandbox keeps these entries and adds only the applications it has beyond them.
        New-Application -Name 'frontend' -Team '#frontend' | Out-Null
        $script:sandbox = Start-GovukDeploySandbox -DeploySeconds 1 -CiSeconds 0.5
    }

    function Invoke-Control([string] $Path, [hashtable] $Body) {
        # The sandbox's control address stands in for a developer and a reviewer.
        Invoke-RestMethod -Method Post -Uri ($script:sandbox.ControlUrl + $Path) -ContentType 'application/json' -Body ($Body | ConvertTo-Json)
    }

    function New-ApprovedPullRequest([string] $Title) {
        $pr = Invoke-Control 'github/repos/alphagov/frontend/pulls' @{ title = $Title; ci = 'success' }
        Invoke-Control "github/repos/alphagov/frontend/pulls/$($pr.number)/reviews" @{ user = 'alice-govuk'; state = 'APPROVED' } | Out-Null
        $pr.number
    }
}

AfterAll {
    Use-Environment $isolated { Stop-GovukDeploySandbox }
}

Describe 'Wait-Release' {
    It 'follows Merge-PullRequest''s output to the release, CI''s Integration deploy and the smoke tests' {
        Use-Environment $isolated {
            # The store reads Jenkins now, so that it would not read it again for a while by itself.
            (Get-Release -Application frontend -Latest).Tag | Should -Be 'release_12'
            $number = New-ApprovedPullRequest 'Tidy the footer links'
            $release = Wait-PullRequestCheck -Application frontend -Number $number -Timeout '00:01:00' |
                Merge-PullRequest -Confirm:$false -OutVariable merged |
                Wait-Release -TimeoutSec 120

            $release.PSObject.TypeNames[0] | Should -Be 'GovukDeploy.FollowedRelease'
            $release.Tag | Should -Be 'release_13'
            $release.Commit | Should -Be $merged[0].Sha
            $release.Sha | Should -Be $merged[0].Sha
            $release.PullRequest | Should -Be $number
            $release.IntegrationDeploy.Environment | Should -Be 'integration'
            $release.IntegrationDeploy.Status | Should -Be 'Succeeded'
            $release.IntegrationDeploy.DeployedBy | Should -Be 'CI'
            $release.IntegrationDeploy.BuildUrl | Should -Match '/jenkins/integration/job/Deploy_App/\d+/$'
            $release.SmokeTest.Result | Should -Be 'Passed'
            $release.DeployedTo | Should -Be @('integration')
            (Get-Release -Application frontend -Latest).Tag | Should -Be $release.Tag

            # CI's deploy is in the store at once, with an Id, so what is piped on sees it.
            $release.IntegrationDeploy.Id | Should -BeGreaterThan 0
            $release.IntegrationDeploy.Source | Should -Be 'Jenkins'
            (Get-Deployment -Application frontend -Environment integration -Last 1).Id | Should -Be $release.IntegrationDeploy.Id
            (Get-Release -Application frontend -Latest).DeployedTo | Should -Contain 'integration'

            # The view reads at 80 columns.
            $lines = ($release | Out-String -Width 80) -replace '\e\[[0-9;]*m' -split "`n" | Where-Object { $_.Trim() }
            $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
            $lines[-1] | Should -Match "^frontend\s+release_13\s+$($release.Sha.Substring(0, 7))\s+#$number\s+Succeeded\s+Passed"
        }
    }

    It 'follows a commit given by hand, and takes Get-PullRequest''s output by its Number' {
        Use-Environment $isolated {
            $latest = Get-Release -Application frontend -Latest
            $bySha = Wait-Release -Application frontend -Sha $latest.Sha.Substring(0, 10) -TimeoutSec 60
            $bySha.Tag | Should -Be $latest.Tag
            $bySha.PullRequest | Should -Not -BeNullOrEmpty

            $byNumber = Get-PullRequest -Application frontend -Number $bySha.PullRequest | Wait-Release -TimeoutSec 60
            $byNumber.Tag | Should -Be $latest.Tag
            $byNumber.IntegrationDeploy.BuildUrl | Should -Be $bySha.IntegrationDeploy.BuildUrl
        }
    }

    It 'refuses a pull request that is not merged, saying to merge it first' {
        Use-Environment $isolated {
            $open = Get-PullRequest -Application frontend | Where-Object Title -eq 'Fix a typo in the footer'
            Wait-Release -Application frontend -PullRequest $open.Number -ErrorVariable failure -ErrorAction SilentlyContinue
            $failure[0].FullyQualifiedErrorId | Should -Be 'PullRequestNotMerged,GovukDeploy.Commands.WaitReleaseCommand'
            $failure[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $failure[0].TargetObject | Should -Be $open.Number
            $failure[0].Exception.Message | Should -Match 'Merge-PullRequest'
        }
    }

    It 'stops with ReleaseSmokeTestFailed and Smokey''s link when the smoke tests fail' {
        Use-Environment $isolated {
            Invoke-Control 'faults' @{ service = 'jenkins'; kind = 'smokey-fail'; environment = 'integration' } | Out-Null
            $number = New-ApprovedPullRequest 'Shorten the cookie banner'
            Wait-PullRequestCheck -Application frontend -Number $number -Timeout '00:01:00' | Merge-PullRequest -Confirm:$false |
                Wait-Release -TimeoutSec 120 -ErrorVariable failure -ErrorAction SilentlyContinue
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'ReleaseSmokeTestFailed,*'
            $failure[0].CategoryInfo.Category | Should -Be 'InvalidResult'
            $failure[0].TargetObject.BuildUrl | Should -Match '/jenkins/integration/job/Smokey/\d+/$'
            $failure[0].Exception.Message | Should -BeLike "*$($failure[0].TargetObject.BuildUrl)*"
        }
    }
}
