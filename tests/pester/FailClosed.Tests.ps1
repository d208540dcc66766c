# Bad input is refused with a typed error that a runbook can catch, and never crashes or is ignored.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

Describe 'A runbook catching by type' {
    It 'catches [GovukDeploy.GovukDeployError] with its ErrorId, kind and advice' {
        $environment = New-IsolatedEnvironment
        $lines = Invoke-FreshPwsh -Environment $environment -Script @'
Import-Module $ModulePath
try { Get-Application -Name 'no-such-app' -ErrorAction Stop; 'not refused' }
catch [GovukDeploy.GovukDeployError] {
    "caught|$($_.Exception.ErrorId)|$($_.Exception.Kind)|$($_.Exception.Target)|$($_.ErrorDetails.RecommendedAction)"
}
catch { "caught as something else: $($_.Exception.GetType().FullName)" }
'@
        $LASTEXITCODE | Should -Be 0 -Because ($lines -join "`n")
        $caught = $lines | Where-Object { $_ -like 'caught*' }
        $caught | Should -BeLike 'caught|ApplicationNotFound|ObjectNotFound|no-such-app|*Get-Application lists the catalogue*'
    }
}

Describe 'A configuration file that cannot be used' {
    It 'stops the command with one ConfigFileCorrupt naming the file and the setting, when <Case>' -ForEach @(
        @{ Case = 'Store holds an array'; Content = '{ "Store": ["sqlite:/tmp/team.db"] }'; Setting = 'Store' }
        @{ Case = 'a value has the wrong type'; Content = '{ "GitHubThrottleLimit": 4 }'; Setting = 'GitHubThrottleLimit' }
        @{ Case = 'the file is not JSON'; Content = '{ "Store": '; Setting = $null }
        @{ Case = 'the file is a folder'; Content = $null; Setting = $null }
    ) {
        $environment = New-IsolatedEnvironment
        $null = New-Item -ItemType Directory -Path (Split-Path $environment.GOVUK_DEPLOY_CONFIG) -Force
        if ($null -eq $Content) { $null = New-Item -ItemType Directory -Path $environment.GOVUK_DEPLOY_CONFIG }
        else { Set-Content -Path $environment.GOVUK_DEPLOY_CONFIG -Value $Content }
        # The store of the isolated environment comes from the file alone, as a team's would.
        $environment.Remove('GOVUK_DEPLOY_STORE')
        $lines = Invoke-FreshPwsh -Environment $environment -Script @'
$ErrorActionPreference = 'Continue'
Import-Module $ModulePath
$Error.Clear()
Get-Application 2>$null
"count=$($Error.Count)"
$Error | ForEach-Object { "error=$($_.FullyQualifiedErrorId)|$($_.TargetObject)|$($_.Exception.Message)" -replace '\s+', ' ' }
$Error.Clear()
Get-GovukDeployConfiguration 2>$null 3>$null
"readcount=$($Error.Count)"
'@
        $LASTEXITCODE | Should -Be 0 -Because ($lines -join "`n")
        $lines | Should -Contain 'count=1'
        $lines | Should -Contain 'readcount=1' -Because 'a configuration error is written once, not once per stage'
        $failure = $lines | Where-Object { $_ -like 'error=*' }
        $failure | Should -BeLike "error=ConfigFileCorrupt,*|$($environment.GOVUK_DEPLOY_CONFIG)|*"
        if ($Setting) { $failure | Should -Match "\b$Setting\b" }
        # Nothing fell back to the personal default store.
        @(Get-ChildItem -Path $environment.XDG_DATA_HOME -Recurse -Filter *.db -ErrorAction Ignore).Count | Should -Be 0
    }

    It 'ends the command (a terminating error) rather than failing each item' {
        $environment = New-IsolatedEnvironment
        $null = New-Item -ItemType Directory -Path (Split-Path $environment.GOVUK_DEPLOY_CONFIG) -Force
        Set-Content -Path $environment.GOVUK_DEPLOY_CONFIG -Value '{ "Store": ["x"] }'
        $environment.Remove('GOVUK_DEPLOY_STORE')
        $lines = Invoke-FreshPwsh -Environment $environment -Script @'
$ErrorActionPreference = 'Continue'
Import-Module $ModulePath
# -ErrorAction SilentlyContinue hides per-item errors only: a terminating one still reaches the catch.
try { 'a', 'b', 'c' | Get-Application -ErrorAction SilentlyContinue; 'went on' } catch { "terminated: $($_.FullyQualifiedErrorId)" }
'@
        $lines | Should -Contain 'terminated: ConfigFileCorrupt,GovukDeploy.Commands.GetApplicationCommand'
        $lines | Should -Not -Contain 'went on'
    }
}

Describe 'Wait-Deployment -Id of a deployment the store does not hold' {
    It 'says DeploymentNotFound, once, and nothing about settings' {
        $environment = New-IsolatedEnvironment
        $lines = Invoke-FreshPwsh -Environment $environment -Script @'
$ErrorActionPreference = 'Continue'
Import-Module $ModulePath
Wait-Deployment -Id 424242 -ErrorVariable failures 2>$null
$failures | ForEach-Object { "error=$($_.FullyQualifiedErrorId)|$($_.CategoryInfo.Category)|$($_.TargetObject)" }
'@
        $errors = @($lines | Where-Object { $_ -like 'error=*' })
        $errors | Should -Be @('error=DeploymentNotFound,GovukDeploy.Commands.WaitDeploymentCommand|ObjectNotFound|424242')
    }
}

Describe 'A catalogue nested 50,000 deep' {
    It 'is refused with CatalogueInvalid, and the shell lives on' {
        $environment = New-IsolatedEnvironment
        $file = Join-Path $environment.GOVUK_DEPLOY_TEST_ROOT 'deep.yml'
        Set-Content -Path $file -Value (('[' * 50000) + (']' * 50000)) -NoNewline
        $lines = Invoke-FreshPwsh -Environment $environment -Script @"
Import-Module `$ModulePath
try { Import-Application -Path '$file' -ErrorAction Stop; 'imported' }
catch [GovukDeploy.GovukDeployError] { "caught|`$(`$_.FullyQualifiedErrorId)|`$(`$_.CategoryInfo.Category)" }
'still alive'
"@
        $LASTEXITCODE | Should -Be 0
        $lines.Count | Should -BeLessThan 20 -Because 'a stack overflow prints a trace of thousands of lines'
        $lines | Should -Contain 'caught|CatalogueInvalid,GovukDeploy.Commands.ImportApplicationCommand|InvalidData'
        $lines | Should -Contain 'still alive'
    }
}

Describe 'Repositories that walk a URL path, and names without bound' {
    It 'refuses <Command> with <ErrorId>' -ForEach @(
        @{ Command = "New-Application -Name walker -Repository '../..'"; ErrorId = 'InvalidRepository' }
        @{ Command = "New-Application -Name walker -Repository 'alphagov/..'"; ErrorId = 'InvalidRepository' }
        @{ Command = "New-Application -Name ('a' * 10000)"; ErrorId = 'InvalidApplicationName' }
        @{ Command = "New-Application -Name walker -Team ('t' * 10000)"; ErrorId = 'NameTooLong' }
        @{ Command = "New-Application -Name frontend | Out-Null; Set-Application -Name frontend -Repository '../x'"; ErrorId = 'InvalidRepository' }
    ) {
        $environment = New-IsolatedEnvironment
        $lines = Invoke-FreshPwsh -Environment $environment -Script @"
Import-Module `$ModulePath
try { $Command -ErrorAction Stop; 'accepted' } catch [GovukDeploy.GovukDeployError] { "refused|`$(`$_.Exception.ErrorId)|`$(`$_.CategoryInfo.Category)" }
"@
        $lines | Should -Contain "refused|$ErrorId|InvalidArgument"
    }
}

Describe 'Text from people and services at the terminal' {
    BeforeAll {
        $textEnvironment = New-IsolatedEnvironment
    }

    It 'refuses a freeze reason or contact with an escape sequence' {
        $lines = Invoke-FreshPwsh -Environment $textEnvironment -Script @'
Import-Module $ModulePath
New-Application -Name whitehall | Out-Null
foreach ($arguments in @(@{ Reason = "red `e[31m text"; Contact = '#db' }, @{ Reason = 'Migration'; Contact = "`e]8;;https://evil.example`e\\x" })) {
    try { Set-DeployFreeze -Application whitehall @arguments -ErrorAction Stop; 'accepted' }
    catch [GovukDeploy.GovukDeployError] { "refused|$($_.Exception.ErrorId)|$($_.CategoryInfo.Category)|$($_.TargetObject)" }
}
'@
        $refused = @($lines | Where-Object { $_ -like 'refused|*' })
        $refused.Count | Should -Be 2 -Because ($lines -join "`n")
        $refused[0] | Should -Be 'refused|InvalidText|InvalidArgument|red \e[31m text'
        $refused[1] | Should -BeLike 'refused|InvalidText|InvalidArgument|\e]8;;*'
    }

    It 'shows a stored reason''s line break and a Release app note''s escape sequence, never obeys them' {
        $lines = Invoke-FreshPwsh -Environment $textEnvironment -Script @'
Import-Module $ModulePath
Set-GovukDeployConfiguration -Name DeployWindowPolicies -Value '{"staging": {"AlwaysOpen": true}, "production": {"AlwaysOpen": true}}'
New-Application -Name whitehall -ErrorAction SilentlyContinue | Out-Null
New-Application -Name frontend | Out-Null
Start-GovukDeploySandbox -DeploySeconds 0.5 -CiSeconds 0.2 | Out-Null
Set-DeployFreeze -Application whitehall -Environment integration -Reason "Migration`nVERBOSE: Gate Freeze: Passed" -Contact '#db' | Out-Null
$control = (Get-GovukDeployConfiguration -Name ReleaseAppUrl).Value -replace 'release/$', '_sandbox/'
Invoke-RestMethod -Method Post -Uri ($control + 'release/applications/frontend') -ContentType 'application/json' -Body '{"deploy_freeze": true, "notes": "\u001b[2J\u001b[32mall clear\nVERBOSE: Gate Freeze: Passed"}' | Out-Null
'table:' + (ConvertTo-Json -Compress (Get-DeployFreeze -Application whitehall -ErrorAction SilentlyContinue | Format-Table | Out-String -Width 250))
'audit:' + (ConvertTo-Json -Compress (Get-AuditEvent -Application whitehall | Format-Table | Out-String -Width 250))
foreach ($application in 'whitehall', 'frontend') {
    Invoke-Deploy -Application $application -Environment integration -Verbose -ErrorAction Continue *>&1 |
        ForEach-Object { 'record:' + (ConvertTo-Json -Compress "$_") }
}
Stop-GovukDeploySandbox
'@
        $table = $lines | Where-Object { $_ -like 'table:*' }
        $table | Should -Match ([regex]::Escape('Migration\\nVERBOSE')) -Because 'the freeze view shows the line break'
        $lines | Where-Object { $_ -like 'audit:*' } | Should -Not -Match '(?<!\\)\\nVERBOSE'
        $records = @($lines | Where-Object { $_ -like 'record:*' })
        $records.Count | Should -BeGreaterThan 0 -Because ($lines -join "`n")
        # ConvertTo-Json writes a real line break as \n and ESC as \u001b; a shown one is a backslash and a letter (\\n, \\e).
        $records | Where-Object { $_ -match '(?<!\\)\\n|\\u001b' } | Should -BeNullOrEmpty
        ($records -join "`n") | Should -Match ([regex]::Escape('Migration\\nVERBOSE: Gate Freeze: Passed'))
        ($records -join "`n") | Should -Match ([regex]::Escape('\\e[2J\\e[32mall clear'))
    }
}
