# A runbook's shell (pwsh -NonInteractive) can never prompt: every cmdlet that would ask checks what it
# checks first, then refuses with ConfirmationRequired naming -Confirm:$false, never UnexpectedError.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    # One fresh non-interactive pwsh: the sandbox, three applications, deploy windows always open.
    function Invoke-Runbook([string] $Body) {
        $isolated = New-IsolatedEnvironment
        $script = @'
Import-Module $ModulePath
New-Application -Name 'frontend' -Team '#frontend' | Out-Null
New-Application -Name 'whitehall' -Team '#publishing' | Out-Null
Start-GovukDeploySandbox -DeploySeconds 1 -CiSeconds 0.5 | Out-Null
Set-GovukDeployConfiguration -Name DeployWindowPolicies -Value '{"staging": {"AlwaysOpen": true}, "production": {"AlwaysOpen": true}}'
function Show-Refusal([scriptblock] $Command) {
    try { & $Command; 'NOT REFUSED' } catch { 'ERRORID ' + $_.FullyQualifiedErrorId.Split(',')[0]; 'MESSAGE ' + $_.Exception.Message }
}
try {
'@ + $Body + @'
} finally { Stop-GovukDeploySandbox }
'@
        Invoke-FreshPwsh -Script $script -Environment $isolated
    }
}

Describe 'In a session that cannot prompt' {
    It 'a production deploy checks every gate, then asks for -Confirm:$false (ConfirmationRequired), and a refusing gate wins' {
        $lines = Invoke-Runbook @'
Show-Refusal { Invoke-Deploy frontend production -Release release_10 -Verbose -ErrorAction Stop 4>&1 | ForEach-Object { "$_" } }
Set-DeployFreeze -Application frontend -Environment production -Reason 'Incident' -Contact '#web'
Show-Refusal { Invoke-Deploy frontend production -Release release_10 -ErrorAction Stop }
'@
        $refusals = @($lines | Where-Object { $_ -like 'ERRORID *' })
        $refusals | Should -Be @('ERRORID ConfirmationRequired', 'ERRORID DeployFrozen') -Because ($lines -join "`n")
        # The gates ran, and said so, before the question that could not be asked.
        $lines | Should -Contain 'Gate DeployLock: Passed. Deploy lock taken for frontend in production.'
        $lines | Where-Object { $_ -like 'Gate *: Passed.*' } | Should -HaveCount 6
        ($lines -join "`n") | Should -Match "Invoke-Deploy again with -Confirm:\`$false"
        ($lines -join "`n") | Should -Not -Match 'UnexpectedError'
    }

    It 'every other cmdlet that would ask refuses with ConfirmationRequired, after its own checks' {
        $lines = Invoke-Runbook @'
Show-Refusal { Remove-Application -Name nothing-here -ErrorAction Stop }
Show-Refusal { Remove-Application -Name whitehall -ErrorAction Stop }
Show-Refusal { New-Application -Name 'collections' -Confirm -ErrorAction Stop }
Show-Refusal { Set-Application -Name whitehall -Team '#other' -Confirm -ErrorAction Stop }
Show-Refusal { Set-DeployFreeze -Application frontend -Reason 'x' -Contact '#web' -Confirm -ErrorAction Stop }
Show-Refusal { Remove-DeployFreeze -Application frontend -Confirm -ErrorAction Stop }
Show-Refusal { Invoke-Deploy frontend integration -Release release_12 -Confirm -ErrorAction Stop }
Show-Refusal { Invoke-SmokeTest -Application frontend -Environment integration -Confirm -ErrorAction Stop }
Show-Refusal { Sync-Deployment -Confirm -ErrorAction Stop }
Show-Refusal { Set-GovukDeployConfiguration -Name GitHubThrottleLimit -Value 3 -Confirm -ErrorAction Stop }
(Get-Application -Name whitehall).Team
'@
        $refusals = @($lines | Where-Object { $_ -like 'ERRORID *' })
        $refusals[0] | Should -Be 'ERRORID ApplicationNotFound' -Because 'a name not in the catalogue is refused before anyone is asked'
        $refusals | Select-Object -Skip 1 | Should -Be (@('ERRORID ConfirmationRequired') * 9) -Because ($lines -join "`n")
        # Nothing was changed unasked.
        $lines[-1] | Should -Be '#publishing'
    }
}

Describe 'Invoke-Deploy -WhatIf for several applications' {
    It 'names each application and says what its deploy would do' {
        $lines = Invoke-Runbook @'
Set-DeployFreeze -Application whitehall -Environment staging -Reason 'Migration' -Contact '#db'
$verdicts = 'frontend', 'whitehall' | ForEach-Object { [pscustomobject]@{ Application = $_ } } | Invoke-Deploy -Environment staging -WhatIf
$verdicts | ForEach-Object { "VERDICT $($_.Application) $($_.Gate) $($_.Decision)" }
$verdicts | Format-Table | Out-String -Width 80
'@
        $frontend = @($lines | Where-Object { $_ -like 'VERDICT frontend *' })
        $whitehall = @($lines | Where-Object { $_ -like 'VERDICT whitehall *' })
        $frontend | Should -HaveCount 6
        $frontend | ForEach-Object { $_ | Should -BeLike '* would deploy' }
        $whitehall | ForEach-Object { $_ | Should -BeLike '* would be refused: Freeze' }
        ($lines -join "`n") | Should -Match 'Application\s+Gate\s+Outcome'
        ($lines -join "`n") | Should -Match 'whitehall release_120 to staging: would be refused: Freeze'
    }
}

Describe 'One actor per session' {
    It 'names the GitHub login in every audit entry, from the first' {
        $lines = Invoke-Runbook @'
Set-DeployFreeze -Application frontend -Environment staging -Reason 'before' -Contact '#web'
Invoke-Deploy frontend integration -Release release_12 | Out-Null
Set-DeployFreeze -Application whitehall -Environment staging -Reason 'after' -Contact '#db'
Get-AuditEvent | ForEach-Object { "ACTOR $($_.Actor)" } | Sort-Object -Unique
'@
        @($lines | Where-Object { $_ -like 'ACTOR *' }) | Should -Be @('ACTOR sandbox-developer') -Because ($lines -join "`n")
    }
}
