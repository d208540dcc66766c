BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $manifestData = Import-PowerShellDataFile (Get-TestModulePath)
    $script:exported = $manifestData.CmdletsToExport
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $manifestPath = Get-TestModulePath
    $manifest = Import-PowerShellDataFile $manifestPath
    $isolated = New-IsolatedEnvironment
    Use-Environment $isolated { Import-Module $manifestPath -Force }
    $module = Get-Module GovukDeploy
}

Describe 'The module manifest' {
    It 'declares the root module, editions and version the design card asks for' {
        $manifest.RootModule | Should -Be 'GovukDeploy.dll'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.FunctionsToExport.Count | Should -Be 0
        $manifest.AliasesToExport.Count | Should -Be 0
        $manifest.VariablesToExport.Count | Should -Be 0
        $manifest.FormatsToProcess | Should -Contain 'GovukDeploy.format.ps1xml'
        # Extra members are C# properties: a types file costs import time (issue 13).
        $manifest.Keys | Should -Not -Contain 'TypesToProcess'
    }

    It 'lists exactly the cmdlets that the assembly defines' {
        $defined = [System.Reflection.Assembly]::LoadFrom((Join-Path (Split-Path $manifestPath) 'GovukDeploy.dll')).GetExportedTypes() |
            ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { "$($_.VerbName)-$($_.NounName)" }
        ($manifest.CmdletsToExport | Sort-Object) | Should -Be ($defined | Sort-Object)
        ($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be ($defined | Sort-Object)
    }
}

Describe 'Cmdlet <_>' -ForEach $exported {
    BeforeAll { $command = Get-Command $_ -Module GovukDeploy }

    It 'declares an OutputType of this module' {
        # A plain $true/$false answer (Test-) may stand beside the module's own type.
        $command.OutputType.Count | Should -BeGreaterThan 0
        $command.OutputType.Type.Namespace | Where-Object { $_ -like 'GovukDeploy*' } | Should -Not -BeNullOrEmpty
        foreach ($type in $command.OutputType.Type) {
            ($type.Namespace -like 'GovukDeploy*' -or $type -eq [bool]) | Should -BeTrue -Because "$($type.FullName) is not one of the module's types"
        }
    }

    It 'links Get-Help -Online to its page in docs/' {
        $command.HelpUri | Should -Be "https://github.com/govuk-deploy/GovukDeploy/blob/main/docs/$($command.Name).md"
        Join-Path (Get-RepositoryRoot) "docs/$($command.Name).md" | Should -Exist
    }

    It 'binds some parameter from the pipeline by property name' {
        $byName = $command.Parameters.Values | Where-Object { $_.ParameterSets.Values.ValueFromPipelineByPropertyName -contains $true }
        $byName | Should -Not -BeNullOrEmpty
    }

    It 'supports ShouldProcess when it changes state, and not when it only reads' {
        $changing = 'Set', 'New', 'Remove', 'Import', 'Invoke', 'Merge', 'Update', 'Start', 'Stop', 'Sync', 'Undo'
        $reading = 'Get', 'Test', 'Wait'
        # A Wait- cmdlet only reads, unless it records in the store what it waited for.
        $recordingWaits = @('Wait-Deployment')
        ($changing + $reading) | Should -Contain $command.Verb -Because 'a new verb must be placed among those that change state or those that only read'
        if ($command.Verb -in $changing -or $command.Name -in $recordingWaits) {
            $command.Parameters.Keys | Should -Contain 'WhatIf'
            $command.Parameters.Keys | Should -Contain 'Confirm'
        } else {
            $command.Parameters.Keys | Should -Not -Contain 'WhatIf'
        }
    }
}

Describe 'Public signatures' {
    It 'never expose a third-party type in the cmdlet assembly or the output types' {
        $thirdParty = '^(NodaTime|Octokit|RestSharp|YamlDotNet|Npgsql|Microsoft\.Data\.Sqlite|SQLitePCL|Dapper|Polly|PublicHoliday)'
        $offenders = foreach ($name in $manifest.CmdletsToExport) {
            $command = Get-Command $name -Module GovukDeploy
            foreach ($parameter in $command.Parameters.Values) {
                if ($parameter.ParameterType.FullName -match $thirdParty) { "$name -$($parameter.Name): $($parameter.ParameterType)" }
            }
            foreach ($output in $command.OutputType.Type) {
                foreach ($property in $output.GetProperties()) {
                    if ($property.PropertyType.FullName -match $thirdParty) { "$($output.FullName).$($property.Name): $($property.PropertyType)" }
                }
            }
        }
        $offenders | Should -BeNullOrEmpty
    }
}

Describe 'Importing the module' {
    It 'writes no file and opens no store' {
        $environment = New-IsolatedEnvironment
        $environment.HOME = $environment.GOVUK_DEPLOY_TEST_ROOT
        $lines = Invoke-FreshPwsh -Environment $environment -Script @'
# PowerShell itself may write files at start-up; only what the import adds counts.
$before = @(Get-ChildItem -Recurse -Force -File $env:GOVUK_DEPLOY_TEST_ROOT | ForEach-Object FullName)
Import-Module $ModulePath
$after = @(Get-ChildItem -Recurse -Force -File $env:GOVUK_DEPLOY_TEST_ROOT | ForEach-Object FullName)
$after | Where-Object { $_ -notin $before }
'@
        $LASTEXITCODE | Should -Be 0
        $lines | Should -BeNullOrEmpty
    }

    It 'loads the engine only when a cmdlet first needs it' {
        $lines = Invoke-FreshPwsh -Environment (New-IsolatedEnvironment) -Script @'
Import-Module $ModulePath
$before = [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name -contains 'GovukDeploy.Engine'
$null = Get-GovukDeployConfiguration
$after = [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name -contains 'GovukDeploy.Engine'
"$before/$after"
'@
        $lines | Should -Be 'False/True'
    }
}
