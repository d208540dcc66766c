BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isolated = New-IsolatedEnvironment
    Use-Environment $isolated {
        Import-Module (Get-TestModulePath) -Force
        New-Application -Name 'contacts-admin' -DeployName 'contacts' -Team '#publishing' | Out-Null
        New-Application -Name 'whitehall' -Team '#publishing' | Out-Null
        New-Application -Name 'frontend' -Team '#frontend' | Out-Null
        Start-GovukDeploySandbox -DeploySeconds 1 -CiSeconds 0.5 | Out-Null
    }
    $control = { (Get-GovukDeployConfiguration -Name ReleaseAppUrl).Value -replace 'release/$', '_sandbox/' }
}

AfterAll {
    Use-Environment $isolated {
        Stop-GovukDeploySandbox
        Set-GovukDeployConfiguration -Reset Environments
    }
}

Describe 'Who has a freeze on: the store and the Release app' {
    # First in the file: Get-DeployFreeze remembers the Release app's answers for half a minute, so this runs before any listing has asked it.
    It 'says what is unknown when the Release app cannot be read, rather than list only the store' {
        Use-Environment $isolated {
            Set-DeployFreeze -Application whitehall -Reason 'r' -Contact 'c'
            Invoke-RestMethod -Method Post -Uri ((& $control) + 'faults') -ContentType 'application/json' -Body '{"kind": "down", "service": "release"}' | Out-Null
            try {
                $listed = Get-DeployFreeze -ErrorVariable unknown -ErrorAction SilentlyContinue
                $unknown.Count | Should -Be 3
                $unknown | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'FreezeStatusUnknown,*' }
                ($listed | Where-Object Unknown).Application | Sort-Object | Should -Be @('contacts-admin', 'frontend', 'whitehall')
                ($listed | Where-Object Source -eq 'Store').Application | Sort-Object -Unique | Should -Be 'whitehall'
                Get-DeployFreeze -StoreOnly -ErrorVariable none | Should -Not -BeNullOrEmpty
                $none | Should -BeNullOrEmpty
            } finally {
                Invoke-RestMethod -Method Delete -Uri ((& $control) + 'faults') | Out-Null
                Remove-DeployFreeze -Application whitehall
            }
        }
    }

    It 'lists the Release app''s freezes across the catalogue, its note in full, unless -StoreOnly' {
        Use-Environment $isolated {
            $note = 'Data migration in progress; ask #publishing before deploying. ' + ('x' * 300)
            Invoke-RestMethod -Method Post -Uri ((& $control) + 'release/applications/contacts-admin') -ContentType 'application/json' `
                -Body (@{ deploy_freeze = $true; notes = $note } | ConvertTo-Json) | Out-Null
            try {
                $freeze = Get-DeployFreeze | Where-Object Source -eq 'ReleaseApp'
                $freeze.Application | Should -Be 'contacts-admin'
                ($freeze | Format-List | Out-String -Width 80) -replace '\s+', '' | Should -Match ([regex]::Escape(($note -replace '\s+', '')))
                Get-DeployFreeze -StoreOnly | Should -BeNullOrEmpty
            } finally {
                Invoke-RestMethod -Method Post -Uri ((& $control) + 'release/applications/contacts-admin') -ContentType 'application/json' -Body '{"deploy_freeze": false, "notes": ""}' | Out-Null
            }
        }
    }
}

Describe 'Application patterns are PowerShell''s wildcards' {
    AfterEach {
        Use-Environment $isolated {
            Remove-DeployFreeze -Application '*' -ErrorAction SilentlyContinue
            Remove-DeployFreeze -Global -ErrorAction SilentlyContinue
        }
    }

    It 'refuses a freeze of <Pattern> with <ErrorId>, freezing nothing' -ForEach @(
        @{ Pattern = 'whitehal['; ErrorId = 'InvalidWildcardPattern'; Category = 'InvalidArgument' }
        @{ Pattern = 'nomatch*'; ErrorId = 'NoApplicationMatched'; Category = 'ObjectNotFound' }
        @{ Pattern = '[xyz]*'; ErrorId = 'NoApplicationMatched'; Category = 'ObjectNotFound' }
    ) {
        Use-Environment $isolated {
            Set-DeployFreeze -Application 'frontend', $Pattern -Reason 'r' -Contact 'c' -ErrorVariable failure -ErrorAction SilentlyContinue
            $failure[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $failure[0].CategoryInfo.Category | Should -Be $Category
            $failure[0].TargetObject | Should -Be $Pattern
            Get-DeployFreeze -StoreOnly | Should -BeNullOrEmpty
        }
    }

    It 'freezes what a set matches' {
        Use-Environment $isolated {
            $frozen = Set-DeployFreeze -Application '[fw]*' -Reason 'r' -Contact 'c' -PassThru
            $frozen.Application | Sort-Object -Unique | Should -Be @('frontend', 'whitehall')
        }
    }

    It 'lifts every application''s freeze with ''*'' and the global freeze only with -Global' {
        Use-Environment $isolated {
            Set-DeployFreeze -Global -Reason 'Christmas' -Contact '#2ndline'
            Set-DeployFreeze -Application whitehall, frontend -Reason 'Migration' -Contact 'carol'

            $lifted = Remove-DeployFreeze -Application '*' -PassThru
            $lifted.Application | Sort-Object -Unique | Should -Be @('frontend', 'whitehall')
            (Get-DeployFreeze -StoreOnly).Application | Sort-Object -Unique | Should -Be '*'

            Remove-DeployFreeze -Global
            Get-DeployFreeze -StoreOnly | Should -BeNullOrEmpty
        }
    }

    It '<Command> reports a pattern that matches nothing as NoApplicationMatched, and goes on' -ForEach @(
        @{ Command = 'Get-Release'; Arguments = @{ Application = 'front*', 'nomatch*'; Latest = $true } }
        @{ Command = 'Get-DeployStatus'; Arguments = @{ Application = 'front*', 'nomatch*'; Offline = $true } }
        @{ Command = 'Get-Deployment'; Arguments = @{ Application = 'front*', 'nomatch*'; Offline = $true } }
        @{ Command = 'Get-AuditEvent'; Arguments = @{ Application = 'front*', 'nomatch*' } }
        @{ Command = 'Get-Application'; Arguments = @{ Name = 'front*', 'nomatch*' } }
        @{ Command = 'Get-DeployFreeze'; Arguments = @{ Application = 'front*', 'nomatch*'; StoreOnly = $true } }
    ) {
        Use-Environment $isolated {
            $output = & $Command @Arguments -ErrorVariable failure -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $failure.Count | Should -Be 1
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'NoApplicationMatched,*'
            $failure[0].TargetObject | Should -Be 'nomatch*'
            if ($Command -in 'Get-Release', 'Get-DeployStatus', 'Get-Application') {
                $output.Application + $output.Name | Where-Object { $_ } | Sort-Object -Unique | Should -Be 'frontend'
            }
        }
    }

    It 'Get-Release -Application front* returns frontend''s releases' {
        Use-Environment $isolated {
            (Get-Release -Application 'front*' -Latest).Application | Should -Be 'frontend'
        }
    }

    It '<Command> takes one application and refuses a pattern' -ForEach @(
        @{ Command = 'Invoke-Deploy'; Arguments = @{ Application = 'white*'; Environment = 'integration'; WhatIf = $true } }
        @{ Command = 'Test-DeployWindow'; Arguments = @{ Application = 'white*' } }
        @{ Command = 'Get-UndeployedChange'; Arguments = @{ Application = 'white*'; Environment = 'staging' } }
    ) {
        Use-Environment $isolated {
            & $Command @Arguments -ErrorVariable failure -ErrorAction SilentlyContinue | Out-Null
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'WildcardNotSupported,*'
            $failure[0].TargetObject | Should -Be 'white*'
        }
    }
}

Describe 'Dates a window cannot be worked out for' {
    It '<Command> <Parameter> MaxValue is DateOutOfRange, naming the value' -ForEach @(
        @{ Command = 'Test-DeployWindow'; Parameter = 'At' }
        @{ Command = 'Get-DeployWindow'; Parameter = 'From' }
    ) {
        Use-Environment $isolated {
            $arguments = @{ $Parameter = [DateTimeOffset]::MaxValue }
            & $Command @arguments -ErrorVariable failure -ErrorAction SilentlyContinue | Out-Null
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'DateOutOfRange,*'
            $failure[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failure[0].TargetObject | Should -Be ([DateTimeOffset]::MaxValue)
        }
    }
}

Describe 'Under <Names>' -ForEach @(
    @{ Names = @('dev', 'prod'); Frozen = @('prod'); Columns = @('Dev', 'Prod') }
    @{ Names = @('test', 'pre-prod', 'live'); Frozen = @('live', 'pre-prod'); Columns = @('Test', 'PreProd', 'Live') }
) {
    BeforeAll {
        Use-Environment $isolated { Set-GovukDeployConfiguration -Environments $Names }
        $first = $Names[0]; $last = $Names[-1]; $beforeLast = $Names[-2]
    }

    AfterAll {
        Use-Environment $isolated {
            Remove-DeployFreeze -Application '*' -ErrorAction SilentlyContinue
            Set-GovukDeployConfiguration -Reset Environments
        }
    }

    It 'a plain Set-DeployFreeze freezes every environment but the first' {
        Use-Environment $isolated {
            $set = Set-DeployFreeze -Application frontend -Reason 'r' -Contact 'c' -PassThru
            $set.Environment | Sort-Object | Should -Be $Frozen
            { Set-DeployFreeze -Application frontend -Environment staging -Reason 'r' -Contact 'c' -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownEnvironment,*'
            Remove-DeployFreeze -Application frontend
        }
    }

    It 'deploy windows: the first is always open, the last is asked about by default, production is unknown' {
        Use-Environment $isolated {
            $saturday = [DateTimeOffset]'2026-11-28T12:00:00Z'
            Test-DeployWindow -Environment $first -At $saturday | Should -BeTrue
            (Test-DeployWindow -At $saturday -Detailed).Environment | Should -Be $last
            Test-DeployWindow -At $saturday | Should -BeFalse
            (Get-DeployWindow -From $saturday -Days 3)[0].Environment | Should -Be $last
            { Test-DeployWindow -Environment production -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownEnvironment,*'
        }
    }

    It 'Get-DeployStatus has a column for each environment and a freeze in each frozen one' {
        Use-Environment $isolated {
            Set-DeployFreeze -Application frontend -Reason 'r' -Contact 'c'
            try {
                $status = Get-DeployStatus -Application frontend -WarningAction SilentlyContinue
                $status.Environments.Environment | Should -Be $Names
                foreach ($column in $Columns) { $status.PSObject.Properties.Name | Should -Contain $column }
                $status.PSObject.Properties.Name | Should -Not -Contain 'Production'
                $status.Frozen | Should -Be $Frozen
                ($status | Format-Table | Out-String -Width 120) | Should -Match 'frontend'
            } finally {
                Remove-DeployFreeze -Application frontend
            }
        }
    }

    It 'Invoke-Deploy -WhatIf checks promotion from the environment before the last' {
        Use-Environment $isolated {
            $verdicts = Invoke-Deploy -Application frontend -Environment $last -WhatIf -WarningAction SilentlyContinue
            $promotion = $verdicts | Where-Object Gate -eq 'PromotionOrder'
            $promotion.Outcome | Should -BeIn @('Failed', 'Unknown')
            $promotion.Detail | Should -Match ([regex]::Escape($beforeLast))
            { Invoke-Deploy -Application frontend -Environment staging -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownEnvironment,*'
        }
    }
}
