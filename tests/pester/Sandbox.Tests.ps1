BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isolated = New-IsolatedEnvironment
    Use-Environment $isolated { Import-Module (Get-TestModulePath) -Force }
    $referenceFeed = Join-Path (Get-RepositoryRoot) '../shared/data/bank-holidays.json'
}

Describe 'Start-GovukDeploySandbox and Stop-GovukDeploySandbox' {
    It 'start the sandbox on 127.0.0.1, point the session at it, and stop it cleanly' {
        Use-Environment $isolated {
            $sandbox = Start-GovukDeploySandbox
            try {
                $sandbox.BaseUrl | Should -Match '^http://127\.0\.0\.1:\d+/$'
                (Get-GovukDeployConfiguration -Name GitHubApiUrl).Value | Should -Be $sandbox.GitHubApiUrl
                (Get-GovukDeployConfiguration -Name GitHubToken).Source | Should -Be 'Session'
                (Invoke-RestMethod ($sandbox.ControlUrl + 'health')).status | Should -Be 'ok'
                { Start-GovukDeploySandbox -ErrorAction Stop } | Should -Throw -ErrorId 'SandboxAlreadyRunning,*'
            } finally {
                $stopped = Stop-GovukDeploySandbox -PassThru
            }
            $stopped.ProcessId | Should -Be $sandbox.ProcessId
            Get-Process -Id $sandbox.ProcessId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            (Get-GovukDeployConfiguration -Name GitHubApiUrl).Source | Should -Be 'Default'
            (Get-GovukDeployConfiguration -Name GitHubToken).Value | Should -Be '(not set)'
        }
    }

    It 'serves GOV.UK''s feed for Update-BankHoliday, and a bad feed changes nothing' {
        if (-not (Test-Path $referenceFeed)) { Set-ItResult -Skipped -Because 'the reference feed is not here'; return }
        Use-Environment $isolated {
            Start-GovukDeploySandbox -HolidayFeedPath $referenceFeed | Out-Null
            try {
                $update = Update-BankHoliday
                $update.FirstYear | Should -Be 2019
                $update.Holidays['england-and-wales'] | Should -BeGreaterThan 60
                (Get-BankHoliday -Year 2023 | Where-Object Title -match 'coronation').Source | Should -Be 'Feed'
                $cache = Get-FileHash $update.CachePath

                $bad = Join-Path $isolated.GOVUK_DEPLOY_TEST_ROOT 'not-a-feed.txt'
                Update-BankHoliday -Uri ((Get-GovukDeployConfiguration -Name BankHolidayFeedUrl).Value -replace 'bank-holidays.json$', 'api/v3/rate_limit') -ErrorVariable failure -ErrorAction SilentlyContinue
                $failure[0].FullyQualifiedErrorId | Should -BeLike 'HolidayFeedInvalid,*'
                (Get-FileHash $update.CachePath).Hash | Should -Be $cache.Hash
            } finally {
                Stop-GovukDeploySandbox
            }
        }
    }

    It 'dies with the session that started it' {
        $lines = Invoke-FreshPwsh -Environment $isolated -Script @'
Import-Module $ModulePath
(Start-GovukDeploySandbox).ProcessId
'@
        $id = [int] ($lines | Select-Object -Last 1)
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while ((Get-Process -Id $id -ErrorAction SilentlyContinue) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        Get-Process -Id $id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'The sandbox''s own store' {
    It 'keeps the sandbox''s deploys and freezes out of the session''s store, and puts the session''s settings back' {
        $own = New-IsolatedEnvironment
        Use-Environment $own {
            New-Application -Name 'frontend' -Team '#frontend' | Out-Null
            $token = ConvertTo-SecureString 'users-own-token' -AsPlainText -Force
            Set-GovukDeployConfiguration -GitHubToken $token -GitHubApiUrl 'https://ghe.example/api/v3/'
            Start-GovukDeploySandbox -DeploySeconds 1 | Out-Null
            try {
                (Get-GovukDeployConfiguration -Name Store).Value | Should -Not -Be $own.GOVUK_DEPLOY_STORE
                (Get-Application -Name frontend).Team | Should -Be '#frontend'
                Set-DeployFreeze -Application frontend -Reason 'sandbox only' -Contact 'me'
                (Invoke-Deploy -Application frontend -Environment integration).Status | Should -Be 'Succeeded'
            } finally {
                Stop-GovukDeploySandbox
            }
            (Get-GovukDeployConfiguration -Name Store).Value | Should -Be $own.GOVUK_DEPLOY_STORE
            Get-DeployFreeze -Application frontend | Should -BeNullOrEmpty
            Get-Deployment | Should -BeNullOrEmpty
            (Get-GovukDeployConfiguration -Name GitHubApiUrl).Value | Should -Be 'https://ghe.example/api/v3/'
            (Get-GovukDeployConfiguration -Name GitHubToken).Source | Should -Be 'Session'
            Set-GovukDeployConfiguration -Reset GitHubToken, GitHubApiUrl
        }
    }

    It 'fills the private catalogue with the sandbox''s own applications, and leaves the user''s catalogue alone' {
        $empty = New-IsolatedEnvironment
        Use-Environment $empty {
            Start-GovukDeploySandbox -DeploySeconds 1 | Out-Null
            try {
                (Get-Release frontend -Latest).Tag | Should -Be 'release_12'
                $contacts = Get-Application -Name contacts-admin
                $contacts.DeployName | Should -Be 'contacts'
                $contacts.Repository | Should -Be 'alphagov/contacts-admin'
                (Get-Application).Name | Sort-Object | Should -Be @('contacts-admin', 'frontend', 'whitehall')
            } finally {
                Stop-GovukDeploySandbox
            }
            Get-Application | Should -BeNullOrEmpty
        }
    }
}
