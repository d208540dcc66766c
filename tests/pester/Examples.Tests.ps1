BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $docs = Join-Path (Get-RepositoryRoot) 'docs'
    $script:pages = Get-ChildItem $docs -Filter '*.md' | Where-Object BaseName -notlike 'about_*' | ForEach-Object {
        # Every 'PS> ' line of the code blocks under '## EXAMPLES', in order.
        $section = ''; $inCode = $false
        $lines = foreach ($line in Get-Content $_.FullName) {
            if ($line -match '^## ') { $section = $line; continue }
            if ($line -match '^```') { $inCode = -not $inCode; continue }
            if ($section -eq '## EXAMPLES' -and $inCode -and $line -match '^PS> (.*)$') { $Matches[1] }
        }
        @{ Name = $_.BaseName; Lines = @($lines) }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $prelude = Get-Content (Join-Path $PSScriptRoot 'ExamplePrelude.ps1') -Raw
}

Describe 'The examples of <Name>' -ForEach $pages {
    It 'run without an error' {
        $Lines.Count | Should -BeGreaterThan 0
        $script = $prelude + "`n" + ($Lines -join "`n") + "`n'EXAMPLES-COMPLETED'"
        $output = Invoke-FreshPwsh -Environment (New-IsolatedEnvironment) -Script $script
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $output | Should -Contain 'EXAMPLES-COMPLETED'
        if ($Lines -match 'catch \{ \$_\.FullyQualifiedErrorId') {
            # An example that shows a refusal must really be refused, not pass through its try.
            ($output -join "`n") | Should -Match '(?m)^\w+,GovukDeploy\.Commands\.' -Because 'the example demonstrates a typed error'
        }
    }
}
