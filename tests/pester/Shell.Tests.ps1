# Shells (issue 13): timeouts in seconds as PowerShell's own cmdlets take them, and tab completion
# from what the settings and the store already hold.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isolated = New-IsolatedEnvironment
    Use-Environment $isolated {
        Import-Module (Get-TestModulePath) -Force
        # CI that stays pending for a while, so that a short wait must run out.
        New-Application -Name 'contacts-admin' -DeployName 'contacts' -Team '#publishing' | Out-Null
        New-Application -Name 'whitehall' -Team '#publishing' | Out-Null
        New-Application -Name 'frontend' -Team '#frontend' | Out-Null
        $script:sandbox = Start-GovukDeploySandbox -DeploySeconds 1 -CiSeconds 30
        Sync-Deployment | Out-Null
    }

    function Get-Completion([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }

    function Get-ParameterAttribute([Management.Automation.ParameterMetadata] $Parameter, [string] $Name) {
        $Parameter.Attributes | Where-Object { $_.GetType().Name -eq $Name }
    }
}

AfterAll {
    Use-Environment $isolated { Stop-GovukDeploySandbox }
}

Describe 'Timeouts in seconds' {
    It 'takes every wait limit in whole seconds (-TimeoutSec, -VerifyForSec), never as a TimeSpan that a number would turn into ticks' {
        $found = 0
        foreach ($command in Get-Command -Module GovukDeploy) {
            foreach ($parameter in $command.Parameters.Values) {
                if ($parameter.Name -like '*Sec') {
                    $found++
                    ([Nullable]::GetUnderlyingType($parameter.ParameterType) ?? $parameter.ParameterType) | Should -Be ([int]) -Because "$($command.Name) -$($parameter.Name)"
                    Get-ParameterAttribute $parameter 'SecondsArgumentAttribute' | Should -Not -BeNullOrEmpty -Because "$($command.Name) -$($parameter.Name) should take a TimeSpan as what it says"
                }
                if (([Nullable]::GetUnderlyingType($parameter.ParameterType) ?? $parameter.ParameterType) -eq [TimeSpan]) {
                    Get-ParameterAttribute $parameter 'TimeSpanArgumentAttribute' | Should -Not -BeNullOrEmpty -Because "$($command.Name) -$($parameter.Name) would read a bare number as ticks"
                }
            }
        }
        $found | Should -BeGreaterOrEqual 6
        (Get-Command Wait-PullRequestCheck).Parameters.Keys | Should -Contain 'TimeoutSec'
        (Get-Command Wait-PullRequestCheck).Parameters['TimeoutSec'].Aliases | Should -Contain 'Timeout'
        (Get-Command Invoke-Deploy).Parameters['VerifyForSec'].Aliases | Should -Contain 'VerifyFor'
    }

    It 'waits about <Seconds> s for -<Parameter> <Shown>, not microseconds' -ForEach @(
        @{ Parameter = 'TimeoutSec'; Value = 2; Shown = '2'; Seconds = 2 }
        @{ Parameter = 'Timeout'; Value = 2; Shown = '2'; Seconds = 2 }
        @{ Parameter = 'Timeout'; Value = [TimeSpan]::FromSeconds(2); Shown = '(New-TimeSpan -Seconds 2)'; Seconds = 2 }
        @{ Parameter = 'TimeoutSec'; Value = '00:00:02'; Shown = "'00:00:02'"; Seconds = 2 }
    ) {
        Use-Environment $isolated {
            $pending = Invoke-RestMethod -Method Post -Uri ($sandbox.ControlUrl + 'github/repos/alphagov/frontend/pulls') -ContentType 'application/json' -Body '{"title": "Still building", "ci": "success"}'
            $arguments = @{ Application = 'frontend'; Number = $pending.number; $Parameter = $Value }
            $clock = [Diagnostics.Stopwatch]::StartNew()
            { Wait-PullRequestCheck @arguments -ErrorAction Stop } | Should -Throw -ErrorId 'PullRequestCheckTimeout,*'
            $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual ($Seconds - 0.1)
            $clock.Elapsed.TotalSeconds | Should -BeLessThan ($Seconds + 8)
        }
    }

    It 'refuses a bare number for a TimeSpan that is not a wait (Test-DeployWindow -Duration), saying what to give' {
        Use-Environment $isolated {
            { Test-DeployWindow -Environment production -Duration 300 -ErrorAction Stop } | Should -Throw '*New-TimeSpan*'
            { Test-DeployWindow -Environment production -Duration '300' -ErrorAction Stop } | Should -Throw '*ticks*'
            Test-DeployWindow -Environment production -Duration '00:30:00' | Should -BeOfType ([bool])
        }
    }

    It 'refuses a wait limit out of range with the parameter''s own validation' {
        Use-Environment $isolated {
            { Wait-PullRequestCheck -Application frontend -Number 1 -TimeoutSec 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        }
    }
}

Describe 'Tab completion' {
    It 'has a completer on every -Application, -Environment, -Team and -Release (and -Name where it names an application or a setting)' {
        $missing = foreach ($command in Get-Command -Module GovukDeploy) {
            foreach ($parameter in $command.Parameters.Values) {
                $wanted = $parameter.Name -in 'Application', 'Environment', 'Team', 'Release' -or
                    ($parameter.Name -eq 'Tag' -and $command.Name -eq 'Get-Release') -or
                    ($parameter.Name -eq 'Name' -and $command.Name -in 'Get-Application', 'Set-Application', 'Remove-Application', 'Get-GovukDeployConfiguration', 'Set-GovukDeployConfiguration') -or
                    ($parameter.Name -eq 'Reset' -and $command.Name -eq 'Set-GovukDeployConfiguration')
                if ($wanted -and $parameter.ParameterType -in [string], [string[]] -and -not (Get-ParameterAttribute $parameter 'ArgumentCompleterAttribute')) {
                    "$($command.Name) -$($parameter.Name)"
                }
            }
        }
        $missing | Should -BeNullOrEmpty
    }

    It 'completes -Application and -Name from the catalogue' {
        Use-Environment $isolated {
            Get-Completion 'Get-Release -Application fro' | Should -Be @('frontend')
            Get-Completion 'Invoke-Deploy -Application ' | Should -Be @('contacts-admin', 'frontend', 'whitehall')
            Get-Completion 'Get-Application -Name wh' | Should -Be @('whitehall')
            Get-Completion 'Invoke-Deploy whi' | Should -Be @('whitehall')
        }
    }

    It 'completes -Environment from the Environments setting, in promotion order' {
        Use-Environment $isolated {
            Get-Completion 'Invoke-Deploy -Application frontend -Environment ' | Should -Be @('integration', 'staging', 'production')
            Get-Completion 'Get-Deployment -Environment pro' | Should -Be @('production')
        }
    }

    It 'completes -Release from the tags the store holds for the application on the command line, newest first' {
        Use-Environment $isolated {
            $tags = Get-Completion 'Invoke-Deploy -Application whitehall -Environment staging -Release release_1'
            $tags | Should -Contain 'release_120'
            $tags | Should -Contain 'release_118'
            $tags[0] | Should -Be 'release_120'
            Get-Completion 'Invoke-Deploy -Application contacts-admin -Environment staging -Release release_' | Should -Not -Contain 'release_120'
            Get-Completion 'Get-Release -Application whitehall -Tag release_11' | Should -Contain 'release_119'
            # No application yet: nothing to look up, and no guess.
            Get-Completion 'Invoke-Deploy -Environment staging -Release release_' | Should -BeNullOrEmpty
        }
    }

    It 'completes -Release from the tags last listed from GitHub, newest first, before any of them is deployed' {
        Use-Environment $isolated {
            New-Application -Name 'frontend-versions' -Repository 'alphagov/frontend' -DeployName 'frontend' -ReleaseTagPattern 'v*' | Out-Null
            # Nothing listed yet, and nothing deployed under this pattern: nothing to offer, and no call to GitHub.
            Get-Completion 'Invoke-Deploy -Application frontend-versions -Environment staging -Release v' | Should -BeNullOrEmpty
            Get-Release -Application frontend-versions -First 1 | Out-Null
            $tags = Get-Completion 'Invoke-Deploy -Application frontend-versions -Environment staging -Release v1.'
            $tags[0] | Should -Be 'v1.12.0'
            $tags | Should -Contain 'v1.10.0-rc1'
            [array]::IndexOf($tags, 'v1.10.0') | Should -BeLessThan ([array]::IndexOf($tags, 'v1.10.0-rc1'))
            Remove-Application -Name 'frontend-versions' -Confirm:$false
        }
    }

    It 'completes setting names for -Name and -Reset' {
        Use-Environment $isolated {
            Get-Completion 'Set-GovukDeployConfiguration -Name GitHubA' | Should -Be @('GitHubApiUrl')
            Get-Completion 'Get-GovukDeployConfiguration -Name Environ' | Should -Be @('Environments')
            Get-Completion 'Set-GovukDeployConfiguration -Reset Slack' | Should -Contain 'SlackWebhookUrl'
        }
    }

    It 'completes -Team from the catalogue, quoted where the shell needs it' {
        Use-Environment $isolated {
            Get-Completion 'Get-Application -Team ' | Should -Be @("'#frontend'", "'#publishing'")
        }
    }

    It 'completes from the store alone, quickly, with every service out of reach' {
        Use-Environment $isolated {
            # An address that never answers: completion that asked a service would hang until it gave up.
            $services = 'GitHubApiUrl', 'JenkinsUrl', 'ReleaseAppUrl'
            $saved = Get-GovukDeployConfiguration -Name $services
            try {
                foreach ($name in $services) { Set-GovukDeployConfiguration -Name $name -Value 'http://10.255.255.1/' }
                $clock = [Diagnostics.Stopwatch]::StartNew()
                Get-Completion 'Get-Release -Application fro' | Should -Be @('frontend')
                Get-Completion 'Invoke-Deploy -Application whitehall -Environment staging -Release release_12' | Should -Contain 'release_120'
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 2
            } finally {
                foreach ($setting in $saved) { Set-GovukDeployConfiguration -Name $setting.Name -Value $setting.Value }
            }
        }
    }
}
