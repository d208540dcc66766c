BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $moduleDirectory = Split-Path (Get-TestModulePath)
}

Describe 'Dependency isolation' {
    It 'imports and works in a session that already holds a different NodaTime' {
        $env:GOVUK_DEPLOY_TEST_OTHER_NODATIME | Should -Exist
        $environment = New-IsolatedEnvironment
        $environment.OTHER_NODATIME = $env:GOVUK_DEPLOY_TEST_OTHER_NODATIME
        $lines = Invoke-FreshPwsh -Environment $environment -Script @'
Add-Type -Path $env:OTHER_NODATIME
$before = [NodaTime.SystemClock]::Instance.GetCurrentInstant()
Import-Module $ModulePath
# The engine checks time zones with its own NodaTime 3.
Set-GovukDeployConfiguration -TimeZone 'Europe/Paris'
(Get-GovukDeployConfiguration -Name TimeZone).Value
try { Set-GovukDeployConfiguration -TimeZone 'Europe/Nowhere' } catch { $_.FullyQualifiedErrorId.Split(',')[0] }
# The session's own NodaTime 2 still works after the import.
$after = [NodaTime.SystemClock]::Instance.GetCurrentInstant()
[bool]($after -ge $before)
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'NodaTime' } |
    ForEach-Object { '{0}@{1}' -f $_.GetName().Version.Major, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name } |
    Sort-Object
'@
        $LASTEXITCODE | Should -Be 0 -Because ($lines -join "`n")
        $lines[0] | Should -Be 'Europe/Paris'
        $lines[1] | Should -Be 'UnknownTimeZone'
        $lines[2] | Should -Be 'True'
        $lines[3..4] | Should -Be @('2@Default', '3@GovukDeploy')
    }
}

Describe 'Native SQLite' {
    It 'carries e_sqlite3 for <_>' -ForEach @(
        @{ Rid = 'linux-x64'; File = 'libe_sqlite3.so' }
        @{ Rid = 'linux-arm64'; File = 'libe_sqlite3.so' }
        @{ Rid = 'osx-x64'; File = 'libe_sqlite3.dylib' }
        @{ Rid = 'osx-arm64'; File = 'libe_sqlite3.dylib' }
        @{ Rid = 'win-x64'; File = 'e_sqlite3.dll' }
    ) {
        Join-Path $moduleDirectory "Dependencies/runtimes/$Rid/native/$File" | Should -Exist
    }

    It 'resolves from the module folder on this platform (no type initializer failure)' {
        $lines = Invoke-FreshPwsh -Environment (New-IsolatedEnvironment) -Script @'
Import-Module $ModulePath
$null = Get-GovukDeployConfiguration
$context = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'GovukDeploy'
$sqlite = $context.LoadFromAssemblyName([System.Reflection.AssemblyName]::new('Microsoft.Data.Sqlite'))
$connection = [Activator]::CreateInstance($sqlite.GetType('Microsoft.Data.Sqlite.SqliteConnection'), @('Data Source=:memory:'))
$connection.Open()
$command = $connection.CreateCommand()
$command.CommandText = 'select sqlite_version()'
$command.ExecuteScalar()
$connection.Close()
'@
        $LASTEXITCODE | Should -Be 0 -Because ($lines -join "`n")
        $lines | Select-Object -Last 1 | Should -Match '^3\.\d+\.\d+$'
    }
}
