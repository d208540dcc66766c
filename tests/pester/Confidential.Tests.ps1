# Confidential mode for a security incident, against the sandbox: its GitHub (public until made private),
# Jenkins, Release app and Slack inbox, and the store's own file read back byte for byte.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isolated = New-IsolatedEnvironment
    $alwaysOpen = '{"staging": {"AlwaysOpen": true}, "production": {"AlwaysOpen": true}}'
    Use-Environment $isolated {
        Import-Module (Get-TestModulePath) -Force
        # The catalogue first: the sandbox keeps these entries and adds only the applications it has beyond them.
        New-Application -Name 'frontend' -Team '#frontend' | Out-Null
        New-Application -Name 'whitehall' -Team '#publishing' | Out-Null
        Start-GovukDeploySandbox -DeploySeconds 0.5 -CiSeconds 0.3 | Out-Null
        Set-GovukDeployConfiguration -Name DeployWindowPolicies -Value $alwaysOpen
        $script:control = (Get-GovukDeployConfiguration -Name ReleaseAppUrl).Value -replace 'release/$', '_sandbox/'
        $script:sandbox = $control -replace '_sandbox/$', ''
        $webhook = ConvertTo-SecureString ($sandbox + 'slack/services/T000/B000/confidential') -AsPlainText -Force
        Set-GovukDeployConfiguration -SlackWebhookUrl $webhook
        $script:storeFile = (Get-GovukDeployConfiguration -Name Store).Value -replace '^sqlite:', ''
    }

    function Get-StoreText {
        # The store's file and its write-ahead log, as text: whatever it keeps is in there.
        (Get-ChildItem "$storeFile*" | ForEach-Object { [Text.Encoding]::Latin1.GetString([IO.File]::ReadAllBytes($_.FullName)) }) -join "`n"
    }

    function Set-Visibility([string] $Visibility) {
        Invoke-RestMethod -Method Post -Uri ($control + 'github/repos/alphagov/frontend/visibility') -ContentType 'application/json' -Body (@{ visibility = $Visibility } | ConvertTo-Json) | Out-Null
    }
}

AfterAll {
    Use-Environment $isolated {
        Stop-GovukDeploySandbox
        Set-GovukDeployConfiguration -Reset DeployWindowPolicies
        Set-GovukDeployConfiguration -Reset SlackWebhookUrl
    }
}

Describe 'Set-Application -Confidential' {
    It 'needs a reason, is audited with it, and shows in Get-Application, Get-DeployStatus and the -WhatIf gate table' {
        Use-Environment $isolated {
            { Set-Application -Name frontend -Confidential -ErrorAction Stop } | Should -Throw -ErrorId 'ConfidentialReasonRequired,*'
            (Get-Application -Name frontend).Confidential | Should -BeFalse

            $application = Set-Application -Name frontend -Confidential -Reason 'Incident 42' -PassThru -WarningVariable warned -WarningAction SilentlyContinue
            $application.Confidential | Should -BeTrue
            $application.VisibilityWhenConfidential | Should -Be 'Public'
            "$warned" | Should -Match 'alphagov/frontend is public'
            (Get-AuditEvent -Application frontend -Kind ConfidentialModeOn).Detail | Should -Match 'Incident 42'

            (Get-Application -Name frontend).Confidential | Should -BeTrue
            $status = Get-DeployStatus -Application frontend, whitehall
            ($status | Where-Object Application -eq frontend).Confidential | Should -BeTrue
            ($status | Where-Object Application -eq whitehall).Confidential | Should -BeFalse
            $table = $status | Format-Table | Out-String -Width 80
            $table | Should -Match '\[C\] frontend'
            $table | Should -Not -Match '\[C\] whitehall'

            $gate = Invoke-Deploy -Application frontend -Environment integration -Release release_12 -WhatIf | Where-Object Gate -eq 'Confidential'
            $gate.Outcome | Should -Be 'Warning' -Because 'a published release of a public repository may go out'
            $gate.Detail | Should -Match 'already published'
            @(Invoke-Deploy -Application whitehall -Environment integration -WhatIf | Where-Object Gate -eq 'Confidential') | Should -BeNullOrEmpty
        }
    }

    It 'refuses a confidential branch deploy and a merge while the repository is public, unless forced with a reason, which is audited' {
        Use-Environment $isolated {
            $pull = Get-PullRequest -Application frontend -Number 13
            { $pull | Invoke-Deploy -Environment integration -ErrorAction Stop } | Should -Throw -ErrorId 'RepositoryNotPrivate,*'
            { Merge-PullRequest -Application frontend -Number 13 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'RepositoryNotPrivate,*'
            { $pull | Invoke-Deploy -Environment integration -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ForceNeedsReason,*'
            (Get-PullRequest -Application frontend -Number 13).State | Should -Be 'open'

            $forced = $pull | Invoke-Deploy -Environment integration -Force -Reason 'Incident lead agreed'
            $forced.Status | Should -Be 'Succeeded'
            ($forced.Gates | Where-Object Gate -eq 'Confidential').Outcome | Should -Be 'Overridden'
            (Get-AuditEvent -Application frontend -Kind GateOverridden).Detail | Should -Match 'Incident lead agreed'
        }
    }

    It 'tells Slack, the audit log, the store and the Release app the release tag or commit only, never a commit message or branch name' {
        Use-Environment $isolated {
            Set-Visibility private
            $pull = Get-PullRequest -Application frontend -Number 17
            $pull.HeadBranch | Should -Not -BeNullOrEmpty

            $deployment = $pull | Invoke-Deploy -Environment integration -Announce 'Fixes the XSS in the search box' -InformationVariable console
            $deployment.Status | Should -Be 'Succeeded'
            $deployment.Confidential | Should -BeTrue
            $deployment.Release | Should -Be $pull.HeadSha
            "$console" | Should -Match ([regex]::Escape($pull.HeadBranch)) -Because 'the person deploying still sees everything'

            $slack = @(Invoke-RestMethod ($control + 'slack/messages')).text
            $slack | Should -Be @("A confidential change to frontend was deployed to integration (commit $($pull.HeadSha.Substring(0, 7))).")

            $all = Invoke-RestMethod ($control + 'release/deployments?repo=alphagov/frontend&environment=integration')
            $recorded = @($all | Where-Object source -eq 'api')
            $recorded[-1].version | Should -Be $pull.HeadSha -Because ($all | ConvertTo-Json -Compress)

            $audit = Get-AuditEvent -Application frontend
            $stored = Get-StoreText
            foreach ($secret in @($pull.HeadBranch, $pull.Title, 'Fixes the XSS', (Get-PullRequest -Application frontend -Number 13).HeadBranch)) {
                $audit.Detail -join "`n" | Should -Not -Match ([regex]::Escape($secret))
                (Get-Deployment -Application frontend | ForEach-Object { $_.Release; $_.Gates.Detail }) -join "`n" | Should -Not -Match ([regex]::Escape($secret))
                $stored | Should -Not -Match ([regex]::Escape($secret)) -Because 'nothing in the store file names the change'
                $slack -join "`n" | Should -Not -Match ([regex]::Escape($secret))
            }
            $stored | Should -Match $pull.HeadSha
        }
    }

    It 'lists what went out when it is turned off, and reminds you to make the repository public again' {
        Use-Environment $isolated {
            $branches = @(Get-Deployment -Application frontend | Where-Object IsBranchDeploy)
            $branches.Count | Should -Be 2

            Set-Application -Name frontend -Confidential:$false -Reason 'Fixed and released' -InformationVariable said -WarningVariable warned -WarningAction SilentlyContinue 6>$null
            $text = ($said | ForEach-Object { "$_" }) -join "`n"
            $text | Should -Match 'Deployed while it was on \(2\)'
            foreach ($deployment in $branches) {
                $text | Should -Match ([regex]::Escape("branch $($deployment.Release) to integration at "))
            }
            $text | Should -Match 'by sandbox-developer \(Succeeded\)'
            "$warned" | Should -Match 'alphagov/frontend was public when confidential mode was turned on: make it public again'

            (Get-Application -Name frontend).Confidential | Should -BeFalse
            (Get-AuditEvent -Application frontend -Kind ConfidentialModeOff).Detail | Should -Match 'Fixed and released'
            Set-Application -Name frontend -Confidential:$false -WarningVariable again -WarningAction SilentlyContinue
            "$again" | Should -Match 'not confidential'
            Set-Visibility public
        }
    }

    It 'makes one deploy confidential with Invoke-Deploy -Confidential' {
        Use-Environment $isolated {
            $deployment = Invoke-Deploy -Application whitehall -Environment integration -Release release_120 -Confidential -WarningAction SilentlyContinue
            $deployment.Confidential | Should -BeTrue
            $deployment.Gates.Gate | Should -Contain 'Confidential'
            (Get-Application -Name whitehall).Confidential | Should -BeFalse
        }
    }
}
