BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isolated = New-IsolatedEnvironment
    Use-Environment $isolated { Import-Module (Get-TestModulePath) -Force }
    $shared = Join-Path (Get-RepositoryRoot) '../shared/data'
}

Describe 'Import-Application' {
    It 'imports GOV.UK''s real <File> as it is, and again without change' -ForEach @(
        @{ File = 'applications.yml'; Sample = 'contacts-admin'; DeployName = 'contacts' }
        @{ File = 'repos.yml'; Sample = 'collections'; DeployName = 'collections' }
    ) {
        $path = Join-Path $shared $File
        if (-not (Test-Path $path)) { Set-ItResult -Skipped -Because "$path is not here"; return }
        $store = New-IsolatedEnvironment
        Use-Environment $store {
            $imported = Import-Application -Path $path -PassThru -InformationVariable info
            $imported.Count | Should -BeGreaterThan 50
            "$info" | Should -Match "$($imported.Count) added"
            $sample = Get-Application -Name $Sample
            $sample.DeployName | Should -Be $DeployName
            $sample.Repository | Should -Be "alphagov/$Sample"
            Import-Application -Path $path -InformationVariable again
            "$again" | Should -Match "0 added, 0 changed"
            (Get-Application -IncludeRetired).Count | Should -Be $imported.Count
        }
    }

    It 'rejects a bad file whole, listing every problem with its line' {
        $bad = Join-Path $isolated.GOVUK_DEPLOY_TEST_ROOT 'bad.yml'
        @'
- github_repo_name: good-app
  team: "#a"
- team: "#no-name"
- github_repo_name: good-app
  team: "#duplicate"
'@ | Set-Content $bad
        Use-Environment $isolated {
            Import-Application -Path $bad -ErrorVariable failure -ErrorAction SilentlyContinue
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'CatalogueInvalid,*'
            $failure[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $failure[0].Exception.Message | Should -Match 'line 3'
            $failure[0].Exception.Message | Should -Match 'line 4'
            Get-Application -Name 'good-app' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
    }

    It 'rejects malformed YAML with its line' {
        $bad = Join-Path $isolated.GOVUK_DEPLOY_TEST_ROOT 'malformed.yml'
        "- github_repo_name: ok`n  team: [unclosed" | Set-Content $bad
        Use-Environment $isolated {
            { Import-Application -Path $bad -ErrorAction Stop } | Should -Throw -ErrorId 'CatalogueInvalid,*'
        }
    }
}

Describe 'Applications by hand' {
    It 'adds, finds with wildcards, changes, retires and removes, keeping the history' {
        Use-Environment $isolated {
            New-Application -Name 'wild-one' -Team '#t' | Out-Null
            New-Application -Name 'wild-two' -DeployName 'w2' -Team '#t' | Out-Null
            (Get-Application -Name 'wild-*').Name | Should -Be @('wild-one', 'wild-two')
            Set-Application -Name 'wild-two' -Retired $true
            (Get-Application -Name 'wild-*').Name | Should -Be @('wild-one')
            (Get-Application -Name 'wild-*' -IncludeRetired).Count | Should -Be 2
            Remove-Application -Name 'wild-one' -Confirm:$false
            Get-Application -Name 'wild-one' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            (Get-AuditEvent -Application 'wild-one').Kind | Should -Contain 'ApplicationRemoved'
            (Get-AuditEvent -Application 'wild-one').Kind | Should -Contain 'ApplicationAdded'
        }
    }

    It 'suggests the nearest names for an unknown one' {
        Use-Environment $isolated {
            New-Application -Name 'whitehall-admin' | Out-Null
            Get-Application -Name 'whitehal-admin' -ErrorVariable failure -ErrorAction SilentlyContinue
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'ApplicationNotFound,*'
            $failure[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failure[0].TargetObject | Should -Be 'whitehal-admin'
            $failure[0].Exception.Message | Should -Match 'whitehall-admin'
        }
    }

    It 'asks before removing (ConfirmImpact High)' {
        (Get-Command Remove-Application).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact |
            Should -Be 'High'
    }
}
