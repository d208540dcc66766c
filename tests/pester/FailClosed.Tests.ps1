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
