# Tables that fit (issue 13): every default table view reads at 80 columns (and at 120), the Wide
# views at 120, with realistic objects from the sandbox: no column dropped, no row or header
# wrapped, every header whole, and the identifying first column never cut short.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    [xml] $format = Get-Content (Join-Path (Split-Path (Get-TestModulePath)) 'GovukDeploy.format.ps1xml') -Raw
    $seen = @{}
    $script:tableViews = foreach ($view in $format.Configuration.ViewDefinitions.View) {
        if (-not $view.TableControl) { continue }
        $type = $view.ViewSelectedBy.TypeName
        # The first table for a type is its default; the others are named views such as Wide.
        $isDefault = -not $seen.ContainsKey($type)
        $seen[$type] = $true
        $headers = @($view.TableControl.TableHeaders.TableColumnHeader)
        foreach ($width in $(if ($isDefault) { 80, 120 } else { 120 })) {
            @{
                View = $view.Name; Type = $type; IsDefault = $isDefault; Width = $width
                Labels = @($headers | ForEach-Object Label)
            }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isolated = New-IsolatedEnvironment

    function New-ViewSamples {
        # Realistic objects of every type that has a view, from the sandbox: type name -> objects.
        $samples = @{}
        function Add-Sample { foreach ($item in $input) { $name = $item.PSObject.TypeNames[0]; if (-not $samples[$name]) { $samples[$name] = [Collections.Generic.List[object]]::new() }; $samples[$name].Add($item) } }
        Set-GovukDeployConfiguration -Name DeployWindowPolicies -Value '{"staging": {"AlwaysOpen": true}, "production": {"AlwaysOpen": true}}'
        New-Application -Name 'contacts-admin' -DeployName 'contacts' -Team '#govuk-publishing-platform' | Add-Sample
        New-Application -Name 'whitehall' -Team '#govuk-publishing-platform' | Add-Sample
        New-Application -Name 'frontend' -Team '#govuk-frontend' | Add-Sample
        $sandbox = Start-GovukDeploySandbox -DeploySeconds 1 -CiSeconds 0.5
        Get-GovukDeployConfiguration | Add-Sample
        Sync-Deployment | Add-Sample
        Get-Release -Application whitehall -First 5 | Add-Sample
        Get-Release -Application frontend -First 2 | Add-Sample
        Get-UndeployedChange -Application whitehall -Environment production | Add-Sample
        Get-PullRequest -Application frontend | Add-Sample
        Invoke-Deploy -Application whitehall -Environment production -WhatIf | Add-Sample
        $deployment = Invoke-Deploy -Application contacts-admin -Environment integration -SmokeTest -Reason 'Ship the contact form fix'
        Get-Deployment -Last 8 | Add-Sample
        Invoke-SmokeTest -Application contacts-admin -Environment integration | Add-Sample
        $deployment | Test-DeployHealth | Add-Sample
        $health = Invoke-RestMethod -Method Post -Uri ($sandbox.ControlUrl + 'after-deploy') -ContentType 'application/json' -Body '{"application": "frontend", "environment": "integration", "effect": "new-error"}'
        $unhealthy = Invoke-Deploy -Application frontend -Environment integration | Test-DeployHealth
        $unhealthy | Add-Sample
        $unhealthy.Checks | Add-Sample
        $unhealthy.Checks.Items | Add-Sample
        Set-DeployFreeze -Application frontend -Environment staging, production -Reason 'Election period: no changes to the frontend until the results are in' -Contact '#govuk-frontend-team' -Until ([DateTimeOffset]::Now.AddDays(3)) -PassThru | Add-Sample
        Set-DeployFreeze -Global -Environment production -Reason 'Christmas change freeze' -Contact 'govuk-platform-engineering@digital.cabinet-office.gov.uk' -PassThru | Add-Sample
        Get-DeployStatus | Add-Sample
        Get-AuditEvent | Add-Sample
        Test-DeployWindow -Environment production -Detailed | Add-Sample
        Set-GovukDeployConfiguration -Reset DeployWindowPolicies
        Test-DeployWindow -Environment production -At '2026-12-25T10:00:00Z' -Detailed | Add-Sample
        Test-DeployWindow -Environment staging -At '2026-11-27T15:30:00Z' -Duration '00:45:00' -Detailed | Add-Sample
        Get-DeployWindow -Environment production | Add-Sample
        Get-BankHoliday | Select-Object -First 6 | Add-Sample
        $pr = Invoke-RestMethod -Method Post -Uri ($sandbox.ControlUrl + 'github/repos/alphagov/frontend/pulls') -ContentType 'application/json' -Body '{"title": "Tidy the footer links on every page", "ci": "success"}'
        Invoke-RestMethod -Method Post -Uri ($sandbox.ControlUrl + "github/repos/alphagov/frontend/pulls/$($pr.number)/reviews") -ContentType 'application/json' -Body '{"user": "alice-govuk", "state": "APPROVED"}' | Out-Null
        Wait-PullRequestCheck -Application frontend -Number $pr.number -TimeoutSec 60 | Merge-PullRequest -Confirm:$false -OutVariable merged | Wait-Release -TimeoutSec 120 | Add-Sample
        $merged | Add-Sample
        $samples
    }

    Use-Environment $isolated {
        Import-Module (Get-TestModulePath) -Force
        $script:samples = New-ViewSamples
    }

    function Get-Table([object[]] $Objects, [string] $View, [bool] $IsDefault, [int] $Width) {
        $table = if ($IsDefault) { $Objects | Format-Table } else { $Objects | Format-Table -View $View }
        @(($table | Out-String -Width $Width) -replace '\e\[[0-9;]*m' -split '\r?\n' | Where-Object { $_.Trim() })
    }
}

AfterAll {
    Use-Environment $isolated {
        Stop-GovukDeploySandbox
        Set-GovukDeployConfiguration -Reset DeployWindowPolicies
    }
}

Describe 'The <View> view at <Width> columns' -ForEach $tableViews {
    It 'shows every column, whole headers, one line a row, the first column uncut' {
        $objects = @($samples[$Type])
        $objects.Count | Should -BeGreaterThan 0 -Because "the sandbox should give some $Type to show"
        $lines = Get-Table $objects $View $IsDefault $Width
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual $Width -Because "'$line' is too wide" }
        # A grouped view (the gate verdicts, under each deploy's decision) repeats its header under each group's line.
        $groups = @($lines | Where-Object { $_ -match '^\s*Deploy: ' }).Count
        if ($groups -gt 0) {
            $lines[0] | Should -Match '^\s*Deploy: .+: would (deploy|be refused: \w+)$'
            $lines = @($lines | Select-Object -Skip 1 | Where-Object { $_ -notmatch '^\s*Deploy: ' })
            $lines = @($lines | Select-Object -First 2) + @($lines | Select-Object -Skip 2 | Where-Object { $_ -ne $lines[0] -and $_ -ne $lines[1] })
        }
        # Every label, whole and in order, on one header line (a dropped column or a wrapped header fails here).
        ($lines[0].Trim() -split '\s+') | Should -Be $Labels
        $lines[1] | Should -Match '^[-\s]+$'
        # Nothing wraps: a header, its underline, and one line for each object.
        $lines.Count | Should -Be ($objects.Count + 2)
        $firstWidth = ([regex]::Match($lines[1], '^-+\s+')).Length
        foreach ($row in $lines | Select-Object -Skip 2) {
            $row.Substring(0, [Math]::Min($firstWidth, $row.Length)) | Should -Not -Match '…' -Because "the first column identifies the row: '$row'"
        }
    }
}

Describe 'Durations in tables' {
    It 'reads <Seconds> s as <Expected>' -ForEach @(
        @{ Seconds = 0.79; Expected = '0.8s' }
        @{ Seconds = 1.8; Expected = '1.8s' }
        @{ Seconds = 48; Expected = '48s' }
        @{ Seconds = 108; Expected = '1m 48s' }
        @{ Seconds = 7500; Expected = '2h 5m' }
    ) {
        [GovukDeploy.Commands.TableText]::Duration([TimeSpan]::FromSeconds($Seconds)) | Should -Be ($Expected -replace '\.', [cultureinfo]::CurrentCulture.NumberFormat.NumberDecimalSeparator)
    }

    It 'shows no clock-style durations in the deployments, smoke tests and windows' {
        foreach ($type in 'GovukDeploy.Deployment', 'GovukDeploy.SmokeTestResult', 'GovukDeploy.DeployWindow') {
            $lines = Get-Table @($samples[$type]) $null $true 120
            $column = ($lines[0] -split '\s+').IndexOf($(if ($type -eq 'GovukDeploy.DeployWindow') { 'Length' } else { 'Duration' }))
            $column | Should -BeGreaterOrEqual 0
            $start = $lines[0].IndexOf($(if ($type -eq 'GovukDeploy.DeployWindow') { 'Length' } else { 'Duration' }))
            foreach ($row in $lines | Select-Object -Skip 2) {
                $row.Substring($start).Trim() -split '\s{2,}' | Select-Object -First 1 | Should -Match '^(\d+(\.\d)?s|\d+m \d+s|\d+h \d+m|)$'
            }
        }
    }
}

Describe 'What a table shows at 80 columns' {
    It 'marks the environments that are frozen in Get-DeployStatus' {
        $lines = Get-Table @($samples['GovukDeploy.DeployStatus']) $null $true 80
        $lines | Where-Object { $_ -match '^frontend\s' } | Should -Match 'release_11\*\s+release_10\*'
    }
}
