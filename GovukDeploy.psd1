@{
    RootModule           = 'GovukDeploy.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = 'cfeaec32-1fce-442a-8f16-0fe5f5f298a2'
    Author               = 'GovukDeploy contributors'
    CompanyName          = 'GovukDeploy'
    Copyright            = '(c) GovukDeploy contributors. MIT licence.'
    Description          = 'Carries a change from pull request to production the way GOV.UK does: releases, freezes, deploy windows and Jenkins deploys, refusing clearly and politely to do anything unsafe.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('GovukDeploy.format.ps1xml')
    CmdletsToExport      = @(
        'Get-GovukDeployConfiguration'
        'Set-GovukDeployConfiguration'
        'Test-DeployWindow'
        'Get-DeployWindow'
        'Get-BankHoliday'
        'Update-BankHoliday'
        'Get-Application'
        'Import-Application'
        'New-Application'
        'Set-Application'
        'Remove-Application'
        'Get-AuditEvent'
        'Set-DeployFreeze'
        'Get-DeployFreeze'
        'Remove-DeployFreeze'
        'Get-Release'
        'Get-UndeployedChange'
        'Get-DeployStatus'
        'Get-PullRequest'
        'Wait-PullRequestCheck'
        'Merge-PullRequest'
        'Wait-Release'
        'Invoke-Deploy'
        'Get-Deployment'
        'Get-DeploymentLog'
        'Sync-Deployment'
        'Wait-Deployment'
        'Stop-Deployment'
        'Undo-Deployment'
        'Invoke-SmokeTest'
        'Test-DeployHealth'
        'Start-GovukDeploySandbox'
        'Stop-GovukDeploySandbox'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('GOVUK', 'Deploy', 'Deployment', 'Jenkins', 'GitHub', 'Release', 'ReleaseManagement', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/govuk-deploy/GovukDeploy'
            LicenseUri   = 'https://github.com/govuk-deploy/GovukDeploy/blob/main/LICENSE'
            # build.ps1 puts this version's section of CHANGELOG.md here in the built manifest.
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
