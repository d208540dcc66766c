BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $manifestPath = Get-TestModulePath
}

AfterAll {
    # Session settings live as long as the process: leave none behind for the other test files.
    if (Get-Module GovukDeploy) { Set-GovukDeployConfiguration -Reset GitHubToken, GitHubApiUrl }
}

Describe 'Configuration precedence' {
    It 'takes session over environment over user file over default, and says which' {
        $environment = New-IsolatedEnvironment
        $lines = Invoke-FreshPwsh -Environment $environment -Script @'
Import-Module $ModulePath
function Show { $s = Get-GovukDeployConfiguration -Name JenkinsUrl, DeployJobName; ($s | ForEach-Object { "$($_.Name)=$($_.Value)@$($_.Source)" }) -join ' ' }
Show
Set-GovukDeployConfiguration -JenkinsUrl 'https://file.example/' -Scope User
Show
$env:GOVUK_DEPLOY_JENKINS_URL = 'https://env.example/'
Show
Set-GovukDeployConfiguration -JenkinsUrl 'https://session.example/'
Show
Set-GovukDeployConfiguration -Reset JenkinsUrl
Show
'@
        $LASTEXITCODE | Should -Be 0 -Because ($lines -join "`n")
        $shown = $lines | Where-Object { $_ -like 'JenkinsUrl=*' }
        $shown | Should -Be @(
            'JenkinsUrl=@NotSet DeployJobName=Deploy_App@Default'
            'JenkinsUrl=https://file.example/@UserFile DeployJobName=Deploy_App@Default'
            'JenkinsUrl=https://env.example/@EnvironmentVariable DeployJobName=Deploy_App@Default'
            'JenkinsUrl=https://session.example/@Session DeployJobName=Deploy_App@Default'
            'JenkinsUrl=https://env.example/@EnvironmentVariable DeployJobName=Deploy_App@Default'
        )
    }
}

Describe 'The user configuration file' {
    BeforeAll {
        $environment = New-IsolatedEnvironment
        Use-Environment $environment { Import-Module $manifestPath -Force }
    }

    It 'is written atomically and readable by its owner only' -Skip:$IsWindows {
        Use-Environment $environment {
            Set-GovukDeployConfiguration -GitHubOrganisation 'example-org' -Scope User
            $item = Get-Item $env:GOVUK_DEPLOY_CONFIG
            $item.UnixMode | Should -Be '-rw-------'
            Get-ChildItem (Split-Path $env:GOVUK_DEPLOY_CONFIG) -Force | ForEach-Object Name | Should -Be 'config.json'
            (Get-Content $env:GOVUK_DEPLOY_CONFIG -Raw | ConvertFrom-Json).GitHubOrganisation | Should -Be 'example-org'
        }
    }

    It 'never receives a secret' {
        Use-Environment $environment {
            $token = ConvertTo-SecureString 'ghp_never_in_the_file_123' -AsPlainText -Force
            { Set-GovukDeployConfiguration -GitHubToken $token -Scope User -ErrorAction Stop } |
                Should -Throw -ErrorId 'SecretNotPersisted,GovukDeploy.Commands.SetGovukDeployConfigurationCommand'
            Set-GovukDeployConfiguration -GitHubToken $token -GitHubApiUrl 'https://ghe.example/api/v3/'
            Set-GovukDeployConfiguration -Name GitHubApiUrl -Value 'https://ghe.example/api/v3/' -Scope User -WarningAction SilentlyContinue
            { Set-GovukDeployConfiguration -Store 'postgres://deployer:hunter2-secret@db.example:5432/deploys' -Scope User -ErrorAction Stop } |
                Should -Throw -ErrorId 'SecretNotPersisted,GovukDeploy.Commands.SetGovukDeployConfigurationCommand'
            $text = Get-Content $env:GOVUK_DEPLOY_CONFIG -Raw
            $text | Should -Not -Match 'ghp_never_in_the_file_123'
            $text | Should -Not -Match 'hunter2-secret'
            $text | Should -Match 'ghe.example'
        }
    }

    It 'ignores a secret that someone wrote into it by hand, with a warning' {
        Use-Environment $environment {
            '{ "GitHubToken": "hand-written", "DeployJobName": "Deploy_Other" }' | Set-Content $env:GOVUK_DEPLOY_CONFIG
            $settings = Get-GovukDeployConfiguration -WarningVariable warnings -WarningAction SilentlyContinue
            ($settings | Where-Object Name -eq 'GitHubToken').Source | Should -Not -Be 'UserFile'
            ($settings | Where-Object Name -eq 'DeployJobName').Value | Should -Be 'Deploy_Other'
            $warnings | Should -Match 'GitHubToken'
        }
    }
}

Describe 'Bad input' {
    BeforeAll {
        $environment = New-IsolatedEnvironment
        Use-Environment $environment {
            Import-Module $manifestPath -Force
            Set-GovukDeployConfiguration -GitHubOrganisation 'kept-org' -Scope User
        }
        $original = Get-FileHash $environment.GOVUK_DEPLOY_CONFIG
    }

    It 'rejects <Case> with <ErrorId> and leaves the file untouched' -ForEach @(
        @{ Case = 'a relative URL'; Arguments = @{ GitHubApiUrl = 'api/v3' }; ErrorId = 'InvalidUrl'; Target = 'api/v3' }
        @{ Case = 'an ftp URL'; Arguments = @{ ReleaseAppUrl = 'ftp://release.example/' }; ErrorId = 'InvalidUrl'; Target = 'ftp://release.example/' }
        @{ Case = 'an unknown store form'; Arguments = @{ Store = 'mysql://db/deploys' }; ErrorId = 'InvalidStore'; Target = 'mysql://db/deploys' }
        @{ Case = 'an unknown setting name'; Arguments = @{ Name = 'GitHubApiUri'; Value = 'x' }; ErrorId = 'UnknownSetting'; Target = 'GitHubApiUri' }
        @{ Case = 'an unknown time zone'; Arguments = @{ TimeZone = 'Mars/Olympus' }; ErrorId = 'UnknownTimeZone'; Target = 'Mars/Olympus' }
        @{ Case = 'a bad organisation'; Arguments = @{ GitHubOrganisation = 'not an org!' }; ErrorId = 'InvalidOrganisation'; Target = 'not an org!' }
    ) {
        Use-Environment $environment {
            $arguments = $Arguments
            Set-GovukDeployConfiguration @arguments -Scope User -ErrorVariable failure -ErrorAction SilentlyContinue
            $failure.Count | Should -Be 1
            $failure[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $failure[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failure[0].TargetObject | Should -Be $Target
            $failure[0].Exception.Message | Should -Match 'Use|Give|Known settings'
        }
        (Get-FileHash $environment.GOVUK_DEPLOY_CONFIG).Hash | Should -Be $original.Hash
    }

    It 'reports a corrupt file and does not overwrite it' {
        $corrupt = New-IsolatedEnvironment
        $null = New-Item -ItemType Directory -Path (Split-Path $corrupt.GOVUK_DEPLOY_CONFIG) -Force
        '{ "GitHubOrganisation": ' | Set-Content $corrupt.GOVUK_DEPLOY_CONFIG
        $before = Get-FileHash $corrupt.GOVUK_DEPLOY_CONFIG
        Use-Environment $corrupt {
            # A configuration file that cannot be used ends the command (a terminating error).
            $failure = try { Set-GovukDeployConfiguration -GitHubOrganisation 'other' -Scope User } catch { $_ }
            $failure.FullyQualifiedErrorId | Should -BeLike 'ConfigFileCorrupt,*'
            $failure.CategoryInfo.Category | Should -Be 'InvalidData'
            $failure.TargetObject | Should -Be $corrupt.GOVUK_DEPLOY_CONFIG
            $readFailure = try { Get-GovukDeployConfiguration } catch { $_ }
            $readFailure.FullyQualifiedErrorId | Should -BeLike 'ConfigFileCorrupt,*'
        }
        (Get-FileHash $corrupt.GOVUK_DEPLOY_CONFIG).Hash | Should -Be $before.Hash
    }
}

Describe 'Secrets in output' {
    It 'never shows a token on any stream, even with -Verbose and -Debug' {
        $environment = New-IsolatedEnvironment
        $environment.GITHUB_TOKEN = 'ghp_env_secret_value_0001'
        $environment.JENKINS_API_TOKEN = 'jenkins_env_secret_0002'
        $environment.SENTRY_AUTH_TOKEN = 'sentry_env_secret_0007'
        $environment.ICINGA_USER = 'icinga-reader'
        $environment.ICINGA_PASSWORD = 'icinga_env_secret_0008'
        $lines = Invoke-FreshPwsh -Environment $environment -Script @'
Import-Module $ModulePath
$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'
$ErrorActionPreference = 'Continue'
$release = ConvertTo-SecureString 'release_session_secret_0003' -AsPlainText -Force
$slack = ConvertTo-SecureString 'https://hooks.example/services/slack_secret_0004' -AsPlainText -Force
$jenkins = [pscredential]::new('deployer', (ConvertTo-SecureString 'jenkins_session_secret_0005' -AsPlainText -Force))
Set-GovukDeployConfiguration -ReleaseAppToken $release -SlackWebhookUrl $slack -JenkinsCredential $jenkins -Verbose -Debug -PassThru | Format-List * | Out-String
Set-GovukDeployConfiguration -Store 'postgres://deployer:pg_secret_0006@db.example:5432/deploys' -Verbose -Debug -PassThru | Format-List * | Out-String
Get-GovukDeployConfiguration -Verbose -Debug | Format-List * | Out-String
Set-GovukDeployConfiguration -ReleaseAppToken $release -Scope User -Verbose -Debug
Set-GovukDeployConfiguration -Store 'postgres://deployer:pg_secret_0006@db.example' -Scope User -Verbose -Debug
# The health checks send the Sentry token and the Icinga password; nothing they say may repeat them.
Set-GovukDeployConfiguration -SentryUrl 'http://127.0.0.1:9/' -IcingaUrl 'http://127.0.0.1:9/{environment}/' -Store ('sqlite:' + (Join-Path $env:GOVUK_DEPLOY_TEST_ROOT 'secrets.db'))
New-Application -Name 'secret-test' -Repository 'alphagov/secret-test' | Out-Null
Test-DeployHealth -Application secret-test -Environment staging -Since (Get-Date).AddMinutes(-5) -Verbose -Debug | ForEach-Object { $_ | Format-List * | Out-String; $_.Checks | Format-List * | Out-String }
$sentry = ConvertTo-SecureString 'sentry_session_secret_0009' -AsPlainText -Force
$icinga = [pscredential]::new('icinga-reader', (ConvertTo-SecureString 'icinga_session_secret_0010' -AsPlainText -Force))
Set-GovukDeployConfiguration -SentryAuthToken $sentry -IcingaCredential $icinga -Verbose -Debug -PassThru | Format-List * | Out-String
Test-DeployHealth -Application secret-test -Environment staging -Since (Get-Date).AddMinutes(-5) -Verbose -Debug | ForEach-Object { $_ | Format-List * | Out-String; $_.Checks | Format-List * | Out-String }
Set-GovukDeployConfiguration -SentryAuthToken $sentry -Scope User -Verbose -Debug
Get-GovukDeployConfiguration -Verbose -Debug | Format-List * | Out-String
$Error | ForEach-Object { $_ | Format-List * -Force | Out-String; $_.Exception | Format-List * -Force | Out-String }
'@
        $text = $lines -join "`n"
        $text | Should -Match 'GitHubToken'
        $text | Should -Match '\(set\)'
        $text | Should -Match 'SentryAuthToken'
        $text | Should -Match 'SentryUnreachable' -Because 'the health checks ran, and could not reach Sentry'
        foreach ($secret in 'ghp_env_secret_value_0001', 'jenkins_env_secret_0002', 'release_session_secret_0003', 'slack_secret_0004', 'jenkins_session_secret_0005', 'pg_secret_0006',
            'sentry_env_secret_0007', 'icinga_env_secret_0008', 'sentry_session_secret_0009', 'icinga_session_secret_0010') {
            $text | Should -Not -Match $secret
        }
    }
}
