BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:cmdlets = (Import-PowerShellDataFile (Get-TestModulePath)).CmdletsToExport
    $docs = Join-Path (Get-RepositoryRoot) 'docs'
    $script:pages = Get-ChildItem $docs -Filter '*.md' | Where-Object BaseName -notlike 'about_*' | ForEach-Object BaseName
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Use-Environment (New-IsolatedEnvironment) { Import-Module (Get-TestModulePath) -Force }
    $docs = Join-Path (Get-RepositoryRoot) 'docs'
    # -WhatIf and -Confirm are documented on each page, as platyPS does; the common parameters are not.
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters

    function Get-DocumentedParameter([string] $Path) {
        # '### -Name' headings under '## PARAMETERS'.
        $inParameters = $false
        foreach ($line in Get-Content $Path) {
            if ($line -match '^## ') { $inParameters = $line -eq '## PARAMETERS' }
            elseif ($inParameters -and $line -match '^### -(\w+)') { $Matches[1] }
        }
    }
}

Describe 'Help for <_>' -ForEach $cmdlets {
    BeforeAll {
        $name = $_
        $page = Join-Path $docs "$name.md"
        $help = Get-Help $name -Full
        $command = Get-Command $name -Module GovukDeploy
    }

    It 'has a page in docs/, with nothing left to write' {
        $page | Should -Exist
        Get-Content $page -Raw | Should -Not -Match '\bTODO\b'
    }

    It 'shows a synopsis, a description and examples offline' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        # A generated synopsis is only the syntax line; ours is a sentence.
        $help.Synopsis.Trim() | Should -Not -BeLike "$name *"
        ($help.Description.Text -join ' ') | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        @($help.Examples.Example)[0].Code | Should -Not -BeNullOrEmpty
    }

    It 'documents every parameter the cmdlet has, and no other' {
        $actual = $command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object
        $documented = Get-DocumentedParameter $page | Sort-Object
        $documented | Should -Be $actual
    }

    It 'describes every parameter in Get-Help' {
        foreach ($parameter in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $entry = $help.Parameters.Parameter | Where-Object Name -eq $parameter
            ($entry.Description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }
}

Describe 'Page <_>' -ForEach $pages {
    It 'documents a cmdlet the module exports' {
        $_ | Should -BeIn $cmdlets
    }
}
