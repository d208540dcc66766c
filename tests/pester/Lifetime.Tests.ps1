# One lifetime: importing, using and removing the module again and again in one pwsh holds no more
# open files or sockets than doing it once (OnRemove closes the store and every client).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

Describe 'Import, use and Remove-Module in a loop' {
    It 'does not grow the open handles' {
        if (-not (Test-Path /proc/self/fd)) {
            Set-ItResult -Skipped -Because 'open handles are counted through /proc/self/fd, which only Linux has'
            return
        }

        $lines = Invoke-FreshPwsh -Environment (New-IsolatedEnvironment) -Script @'
function Get-OpenHandleCount { [GC]::Collect(); [GC]::WaitForPendingFinalizers(); @(Get-ChildItem /proc/self/fd).Count }
Import-Module $ModulePath
New-Application -Name 'frontend' -Team '#frontend' | Out-Null
Start-GovukDeploySandbox -DeploySeconds 1 -CiSeconds 0.5 | Out-Null
Remove-Module GovukDeploy
$counts = foreach ($round in 1..12) {
    Import-Module $ModulePath
    $null = Get-Application -Name frontend                                  # a store read
    $null = Invoke-Deploy frontend integration -Release release_12 -WhatIf  # GitHub, Jenkins and the store through the sandbox
    Remove-Module GovukDeploy
    Get-OpenHandleCount
}
Import-Module $ModulePath
Stop-GovukDeploySandbox
"COUNTS $($counts -join ' ')"
'@
        $counts = [int[]] (($lines | Where-Object { $_ -like 'COUNTS *' }) -replace '^COUNTS ', '' -split ' ')
        $counts | Should -HaveCount 12 -Because ($lines -join "`n")
        # The first rounds warm up (JIT, thread pool, connection pools); after them, ten rounds add almost nothing.
        ($counts[-1] - $counts[2]) | Should -BeLessOrEqual 4 -Because "open handles after each round: $($counts -join ', ')"
    }
}
