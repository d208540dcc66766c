BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $root = Get-RepositoryRoot
    $builtManifest = Import-PowerShellDataFile (Get-TestModulePath)
    $projectHome = 'https://github.com/govuk-deploy/GovukDeploy'
}

Describe 'The package' {
    It 'is written by build.ps1 Package, installs with Install-PSResource from a folder repository, and imports in a fresh pwsh' {
        $isolated = New-IsolatedEnvironment
        $version = $builtManifest.ModuleVersion
        # The build keeps the real HOME, where dotnet finds its packages; PSResourceGet's data folder is private.
        $lines = Invoke-FreshPwsh -Environment $isolated -Script "& '$($root -replace "'", "''")/build.ps1' Package"
        # PSResourceGet keeps its list of repositories, and CurrentUser's modules, in the user's folders: here, private ones.
        $isolated.HOME = $isolated.GOVUK_DEPLOY_TEST_ROOT
        $LASTEXITCODE | Should -Be 0 -Because ($lines -join "`n")
        $package = Join-Path $root "out/package/GovukDeploy.$version.nupkg"
        $package | Should -Exist

        $folderRepository = New-Item -ItemType Directory -Path (Join-Path $isolated.GOVUK_DEPLOY_TEST_ROOT 'repository')
        Copy-Item $package $folderRepository
        $repositoryName = 'GovukDeployTest' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        # CurrentUser's modules folder is under the private data folder (XDG_DATA_HOME, HOME) on Linux and macOS.
        # Windows keeps it in the real Documents folder, so there the same package is saved to a folder instead.
        $install = @"
Register-PSResourceRepository -Name '$repositoryName' -Uri '$folderRepository' -Trusted
try {
    if (`$IsWindows) {
        Save-PSResource -Name GovukDeploy -Repository '$repositoryName' -Path '$($isolated.GOVUK_DEPLOY_TEST_ROOT)' -TrustRepository -Quiet
        Join-Path '$($isolated.GOVUK_DEPLOY_TEST_ROOT)' 'GovukDeploy/$version'
    } else {
        Install-PSResource -Name GovukDeploy -Repository '$repositoryName' -Scope CurrentUser -TrustRepository -Quiet
        (Get-InstalledPSResource -Name GovukDeploy -Scope CurrentUser).InstalledLocation
    }
} finally {
    Unregister-PSResourceRepository -Name '$repositoryName'
}
"@
        $said = @(Invoke-FreshPwsh -Environment $isolated -Script $install)
        $LASTEXITCODE | Should -Be 0 -Because ($said -join "`n")
        $installed = $said[-1]
        $installed | Should -BeLike "$($isolated.GOVUK_DEPLOY_TEST_ROOT)*" -Because 'it must not touch the real modules folder'
        $moduleFolder = if (Test-Path (Join-Path $installed 'GovukDeploy.psd1')) { $installed } else { Join-Path $installed "GovukDeploy/$version" }
        Join-Path $moduleFolder 'GovukDeploy.psd1' | Should -Exist
        Join-Path $moduleFolder 'LICENSE' | Should -Exist

        $use = @"
Import-Module '$moduleFolder/GovukDeploy.psd1'
(Get-Module GovukDeploy).ModuleBase
(Get-BankHoliday -Year 2025 -Division england-and-wales | Where-Object Title -eq 'Christmas Day').Date.ToString('yyyy-MM-dd')
"@
        $said = @(Invoke-FreshPwsh -Environment $isolated -Script $use)
        $LASTEXITCODE | Should -Be 0 -Because ($said -join "`n")
        $said[0] | Should -BeLike "$($isolated.GOVUK_DEPLOY_TEST_ROOT)*"
        $said[-1] | Should -Be '2025-12-25'

        # The repository was registered in the private list only, and is gone from it again.
        (Get-PSResourceRepository).Name | Should -Not -Contain $repositoryName
    }
}

Describe 'The manifest' {
    It 'carries what the PowerShell Gallery shows: project, licence, tags and this version''s release notes' {
        $data = $builtManifest.PrivateData.PSData
        $data.ProjectUri | Should -Be $projectHome
        $data.LicenseUri | Should -Be "$projectHome/blob/main/LICENSE"
        $data.Tags | Should -Contain 'Deploy'
        $data.Tags | Should -Contain 'PSEdition_Core'
        $data.ReleaseNotes | Should -Not -Be 'See CHANGELOG.md.'
        $changelog = Get-Content (Join-Path $root 'CHANGELOG.md') -Raw
        $changelog | Should -Match "(?m)^## $([regex]::Escape($builtManifest.ModuleVersion))\s*$"
        $changelog.Replace("`r`n", "`n").Contains($data.ReleaseNotes.Replace("`r`n", "`n")) | Should -BeTrue -Because 'the notes come from CHANGELOG.md'
        $data.ReleaseNotes | Should -Match 'Get-DeploymentLog'
        $builtManifest.Copyright | Should -Match 'MIT'
    }

    It 'has an MIT LICENSE file in the repository' {
        $licence = Get-Content (Join-Path $root 'LICENSE') -Raw
        $licence | Should -Match '^MIT License'
        $licence | Should -Match 'Copyright \(c\) GovukDeploy contributors'
    }

    It 'is described in the README, with how to install the package' {
        $readme = Get-Content (Join-Path $root 'README.md') -Raw
        $readme | Should -Match 'build\.ps1 Package'
        $readme | Should -Match 'Install-PSResource'
    }
}
