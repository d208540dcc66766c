BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isolated = New-IsolatedEnvironment
    Use-Environment $isolated { Import-Module (Get-TestModulePath) -Force }
}

Describe 'Test-DeployWindow' {
    It 'answers <Expected> (<Reason>) for <Environment> at <At>' -ForEach @(
        # Tuesday in winter (GMT): open, then just past closing.
        @{ At = '2026-11-24T09:30:00Z'; Environment = 'production'; Expected = $true; Reason = 'Open' }
        @{ At = '2026-11-24T09:29:59Z'; Environment = 'production'; Expected = $false; Reason = 'BeforeOpening' }
        @{ At = '2026-11-24T17:00:00Z'; Environment = 'production'; Expected = $false; Reason = 'AfterClosing' }
        # Friday closes at 16:00.
        @{ At = '2026-11-27T16:30:00Z'; Environment = 'staging'; Expected = $false; Reason = 'AfterClosing' }
        @{ At = '2026-11-27T15:59:00Z'; Environment = 'staging'; Expected = $true; Reason = 'Open' }
        # Summer time (BST, UTC+1): 09:00 UTC is 10:00 in London; 16:30 UTC is 17:30.
        @{ At = '2026-07-14T09:00:00Z'; Environment = 'production'; Expected = $true; Reason = 'Open' }
        @{ At = '2026-07-14T16:30:00Z'; Environment = 'production'; Expected = $false; Reason = 'AfterClosing' }
        # The Monday after the clocks went forward (29 March 2026): 08:45 UTC is 09:45 BST.
        @{ At = '2026-03-30T08:45:00Z'; Environment = 'production'; Expected = $true; Reason = 'Open' }
        # The Monday after they went back (25 October 2026): 09:15 UTC is 09:15 GMT, before opening.
        @{ At = '2026-10-26T09:15:00Z'; Environment = 'production'; Expected = $false; Reason = 'BeforeOpening' }
        # Another offset, same instant as 10:00 London.
        @{ At = '2026-11-24T05:00:00-05:00'; Environment = 'production'; Expected = $true; Reason = 'Open' }
        @{ At = '2026-11-28T12:00:00Z'; Environment = 'production'; Expected = $false; Reason = 'Weekend' }
        @{ At = '2020-12-28T12:00:00Z'; Environment = 'production'; Expected = $false; Reason = 'BankHoliday' }
        @{ At = '2022-09-19T12:00:00Z'; Environment = 'production'; Expected = $false; Reason = 'BankHoliday' }
        @{ At = '2026-11-28T03:00:00Z'; Environment = 'integration'; Expected = $true; Reason = 'Open' }
    ) {
        Use-Environment $isolated {
            Test-DeployWindow -Environment $Environment -At $At | Should -Be $Expected
            (Test-DeployWindow -Environment $Environment -At $At -Detailed).Reason | Should -Be $Reason
        }
    }

    It 'says when the window next opens after Christmas, and why' {
        Use-Environment $isolated {
            $verdict = Test-DeployWindow -Environment production -At '2020-12-24T17:30:00Z' -Detailed
            $verdict.Allowed | Should -BeFalse
            $verdict.NextOpening | Should -Be ([DateTimeOffset] '2020-12-29T09:30:00+00:00')
            $verdict.NextOpeningDetail | Should -Match 'Tuesday 29 December 09:30'
            $verdict.NextOpeningDetail | Should -Match 'Monday 28 December'
        }
    }

    It 'refuses a deploy that would finish after closing' {
        Use-Environment $isolated {
            $verdict = Test-DeployWindow -Environment staging -At '2026-11-27T15:30:00Z' -Duration '00:45:00' -Detailed
            $verdict.Reason | Should -Be 'FinishesAfterClosing'
            $verdict.WindowCloses | Should -Be ([DateTimeOffset] '2026-11-27T16:00:00+00:00')
        }
    }

    It 'names an unknown environment in a typed error' {
        Use-Environment $isolated {
            Test-DeployWindow -Environment 'prodution' -ErrorVariable failure -ErrorAction SilentlyContinue
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'UnknownEnvironment,*'
            $failure[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failure[0].TargetObject | Should -Be 'prodution'
        }
    }

    It 'follows a configured policy' {
        Use-Environment $isolated {
            $policy = '{"staging": {"TimeZone": "Europe/London", "HolidayDivision": "scotland", "Hours": [{"Days": ["Saturday"], "Opens": "10:00", "Closes": "12:00"}]}}'
            Set-GovukDeployConfiguration -Name DeployWindowPolicies -Value $policy
            try {
                Test-DeployWindow -Environment staging -At '2026-11-28T11:00:00Z' | Should -BeTrue
                Test-DeployWindow -Environment staging -At '2026-11-24T11:00:00Z' | Should -BeFalse
            } finally {
                Set-GovukDeployConfiguration -Reset DeployWindowPolicies
            }
            { Set-GovukDeployConfiguration -Name DeployWindowPolicies -Value '{"staging": {"Hours": [{"Days": ["Monday"], "Opens": "17:00", "Closes": "09:00"}]}}' -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidWindowPolicy,*'
        }
    }
}

Describe 'Get-DeployWindow' {
    It 'skips weekends and bank holidays and closes early on Fridays' {
        Use-Environment $isolated {
            $windows = Get-DeployWindow -Environment production -From '2026-12-21T00:00:00Z' -Days 14
            $days = $windows | ForEach-Object { $_.Opens.ToString('yyyy-MM-dd') }
            $days | Should -Not -Contain '2026-12-25'
            $days | Should -Not -Contain '2026-12-28'
            $days | Should -Not -Contain '2027-01-01'
            $days | Should -Contain '2026-12-24'
            ($windows | Where-Object { $_.Opens.ToString('yyyy-MM-dd') -eq '2026-12-24' }).Closes.Hour | Should -Be 17
            $friday = Get-DeployWindow -Environment production -From '2026-11-23T00:00:00Z' -Days 7 | Where-Object { $_.Opens.DayOfWeek -eq 'Friday' }
            $friday.Closes | Should -Be ([DateTimeOffset] '2026-11-27T16:00:00+00:00')
        }
    }
}

Describe 'The built-in bank-holiday calendar' {
    It 'matches GOV.UK''s published feed for every year it covers' -Skip:(-not (Test-Path (Join-Path (Get-RepositoryRoot) '../shared/data/bank-holidays.json'))) {
        $reference = Get-Content (Join-Path (Get-RepositoryRoot) '../shared/data/bank-holidays.json') -Raw | ConvertFrom-Json
        Use-Environment $isolated {
            foreach ($division in 'england-and-wales', 'scotland', 'northern-ireland') {
                $published = $reference.$division.events | ForEach-Object date | Sort-Object
                $years = $published | ForEach-Object { [int] $_.Substring(0, 4) } | Sort-Object -Unique
                $ours = Get-BankHoliday -Division $division -Year $years | ForEach-Object { $_.Date.ToString('yyyy-MM-dd') } | Sort-Object
                $ours | Should -Be $published -Because "the $division calendar should match the feed"
            }
        }
    }
}
