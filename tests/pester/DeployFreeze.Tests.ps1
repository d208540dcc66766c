BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isolated = New-IsolatedEnvironment
    Use-Environment $isolated {
        Import-Module (Get-TestModulePath) -Force
        foreach ($i in 1..12) { New-Application -Name ('pub-{0:00}' -f $i) -Team '#publishing' | Out-Null }
        New-Application -Name 'frontend' -Team '#frontend' | Out-Null
    }
}

Describe 'Set-DeployFreeze in bulk' {
    It 'freezes a whole team from the pipeline and lifts it again' {
        Use-Environment $isolated {
            $until = [DateTimeOffset]::UtcNow.AddDays(1)
            $freezes = Get-Application -Team '#publishing' | Set-DeployFreeze -Reason 'Election' -Contact '#2ndline' -Until $until -PassThru
            $freezes.Count | Should -Be 24
            ($freezes.Environment | Sort-Object -Unique) | Should -Be @('production', 'staging')
            (Get-DeployFreeze | Where-Object Application -like 'pub-*').Count | Should -Be 24
            (Get-DeployFreeze -Application frontend) | Should -BeNullOrEmpty
            Test-DeployWindow -Application 'pub-03' -Environment production -At '2026-11-24T10:00:00Z' | Should -BeFalse

            $lifted = Get-Application -Team '#publishing' | Remove-DeployFreeze -PassThru
            $lifted.Count | Should -Be 24
            Get-DeployFreeze | Should -BeNullOrEmpty
            (Get-DeployFreeze -Application 'pub-01' -IncludeLifted).State | Sort-Object -Unique | Should -Be 'Lifted'
        }
    }

    It 'lists what would be frozen with -WhatIf, wildcards resolved, and writes nothing' {
        # What-if messages go to the host, so they are read from another process's output.
        $listed = (Invoke-FreshPwsh -Environment $isolated -Script @'
Import-Module $ModulePath
Set-DeployFreeze -Application 'pub-0*' -Reason 'x' -Contact 'y' -WhatIf
'@) -join "`n"
        Use-Environment $isolated {
            $listed | Should -Match 'pub-01'
            $listed | Should -Match 'pub-09'
            $listed | Should -Not -Match 'pub-10'
            Get-DeployFreeze | Should -BeNullOrEmpty
        }
    }

    It 'writes nothing when one application in the pipeline is unknown' {
        Use-Environment $isolated {
            'pub-01', 'pub-02', 'no-such-app' | Set-DeployFreeze -Reason 'x' -Contact 'y' -ErrorVariable failure -ErrorAction SilentlyContinue
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'ApplicationNotFound,*'
            $failure[0].TargetObject | Should -Be 'no-such-app'
            Get-DeployFreeze | Should -BeNullOrEmpty
        }
    }

    It 'rejects <Case> with <ErrorId>, writing nothing' -ForEach @(
        @{ Case = 'an empty reason'; Reason = ' '; Contact = 'c'; Until = $null; ErrorId = 'FreezeReasonRequired' }
        @{ Case = 'an empty contact'; Reason = 'r'; Contact = ''; Until = $null; ErrorId = 'FreezeContactRequired' }
        @{ Case = 'an Until in the past'; Reason = 'r'; Contact = 'c'; Until = [DateTimeOffset]::UtcNow.AddHours(-1); ErrorId = 'FreezeUntilInPast' }
    ) {
        Use-Environment $isolated {
            $arguments = @{ Application = 'pub-01'; Reason = $Reason; Contact = $Contact }
            if ($Until) { $arguments.Until = $Until }
            Set-DeployFreeze @arguments -ErrorVariable failure -ErrorAction SilentlyContinue
            $failure[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $failure[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            Get-DeployFreeze | Should -BeNullOrEmpty
        }
    }

    It 'keeps the history when a frozen application is frozen again, and audits both' {
        Use-Environment $isolated {
            Set-DeployFreeze -Application frontend -Reason 'first' -Contact 'a' -Environment production
            Set-DeployFreeze -Application frontend -Reason 'second' -Contact 'b' -Environment production
            (Get-DeployFreeze -Application frontend).Reason | Should -Be 'second'
            (Get-DeployFreeze -Application frontend -IncludeLifted).Count | Should -Be 2
            (Get-AuditEvent -Application frontend -Kind FreezeSet).Count | Should -Be 2
            Remove-DeployFreeze -Application frontend
        }
    }

    It 'freezes every application with -Global' {
        Use-Environment $isolated {
            Set-DeployFreeze -Global -Reason 'Incident' -Contact '#incident' -Environment staging
            (Test-DeployWindow -Application frontend -Environment staging -At '2026-11-24T10:00:00Z' -Detailed).Reason | Should -Be 'Frozen'
            Test-DeployWindow -Application frontend -Environment production -At '2026-11-24T10:00:00Z' | Should -BeTrue
            Remove-DeployFreeze -Global
            Test-DeployWindow -Application frontend -Environment staging -At '2026-11-24T10:00:00Z' | Should -BeTrue
        }
    }
}

Describe 'A freeze set in one process' {
    It 'blocks a check in another process sharing the store' {
        Use-Environment $isolated {
            Set-DeployFreeze -Application 'pub-05' -Reason 'Migration' -Contact '#db' -Environment production
        }
        $lines = Invoke-FreshPwsh -Environment $isolated -Script @'
Import-Module $ModulePath
$verdict = Test-DeployWindow -Application 'pub-05' -Environment production -At '2026-11-24T10:00:00Z' -Detailed
"$($verdict.Reason)|$($verdict.Freeze.Reason)"
'@
        $lines | Select-Object -Last 1 | Should -Be 'Frozen|Migration'
        Use-Environment $isolated { Remove-DeployFreeze -Application 'pub-05' }
    }
}
