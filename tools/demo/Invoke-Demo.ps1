#Requires -Version 7.4
<#
.SYNOPSIS
    The main job: walks GOV.UK's whole pipeline with GovukDeploy's cmdlets against the local
    sandbox, printing an account of each step. build.ps1 Demo builds the module and runs this
    in a fresh pwsh.
#>
param([Parameter(Mandatory)] [string] $ModulePath)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$InformationPreference = 'SilentlyContinue'

function Write-Step([string] $Text) {
    Write-Host ''
    Write-Host "=== $Text" -ForegroundColor Yellow
}

function Write-Say([string] $Text) {
    Write-Host $Text -ForegroundColor Gray
}

function Show($Value) {
    $Value | Format-Table -AutoSize | Out-String -Width 160 | Write-Host
}

function Invoke-Control([string] $Path, [hashtable] $Body) {
    # The sandbox's control address stands in for people: pushing commits, reviewing.
    Invoke-RestMethod -Method Post -Uri ($script:sandbox.ControlUrl + $Path) -ContentType 'application/json' -Body ($Body | ConvertTo-Json)
}

# The demo keeps its configuration, store and cache in a folder of its own, so that it never
# touches the user's real settings or deploy history.
$demoHome = Join-Path ([IO.Path]::GetTempPath()) "govukdeploy-demo-$PID"
$env:GOVUK_DEPLOY_CONFIG = Join-Path $demoHome 'config.json'
$env:GOVUK_DEPLOY_STORE = 'sqlite:' + (Join-Path $demoHome 'store.db')
$env:XDG_CACHE_HOME = Join-Path $demoHome 'cache'

try {
    Write-Step 'Import the module and start the sandbox (GitHub, Jenkins and the Release app on 127.0.0.1)'
    $elapsed = Measure-Command { Import-Module $ModulePath }
    Write-Say ('GovukDeploy {0} imported in {1:0} ms.' -f (Get-Module GovukDeploy).Version, $elapsed.TotalMilliseconds)
    $script:sandbox = Start-GovukDeploySandbox -DeploySeconds 3 -CiSeconds 1
    Write-Say "Sandbox at $($sandbox.BaseUrl); this session now points at it:"
    Show (Get-GovukDeployConfiguration -Name GitHubApiUrl, JenkinsUrl, ReleaseAppUrl, GitHubToken)

    Write-Step 'The catalogue: the applications GovukDeploy knows (the sandbox brought its own; give them teams)'
    Set-Application -Name 'frontend' -Team '#govuk-frontenders' | Out-Null
    Set-Application -Name 'contacts-admin' -Team '#govuk-publishing-tech' | Out-Null
    Set-Application -Name 'whitehall' -Team '#govuk-publishing-tech' | Out-Null
    Show (Get-Application)

    # Deploy hours decide whether staging and production may be deployed now.
    $window = Test-DeployWindow -Environment production -Detailed
    $outOfHours = -not $window.Allowed
    $override = @{}
    if ($outOfHours) {
        Write-Say "It is outside deploy hours ($($window.Reason); next window: $($window.NextOpeningDetail))."
        Write-Say 'The demo will deploy to staging and production only by overriding the window with -Force -Reason, which is audited.'
        $override = @{ Force = $true; Reason = 'Demonstration against the sandbox outside deploy hours' }
    }

    Write-Step 'Where frontend stands: its current release is on integration and staging'
    $current = Get-Release -Application frontend -Latest
    Invoke-Deploy -Application frontend -Environment integration | Out-Null
    Invoke-Deploy -Application frontend -Environment staging @override | Out-Null
    Show (Get-Deployment -Application frontend)

    Write-Step '1. A pull request whose CI fails'
    $pr = Invoke-Control 'github/repos/alphagov/frontend/pulls' @{ title = 'Show the new emergency banner design'; ci = 'failure'; author = 'sandbox-developer' }
    $checked = Wait-PullRequestCheck -Application frontend -Number $pr.number -Timeout '00:01:00'
    Show ($checked | Select-Object Number, Title, CiState, ReviewState)
    try {
        Merge-PullRequest -Application frontend -Number $pr.number -Confirm:$false -ErrorAction Stop
    } catch {
        Write-Say "Merge refused ($($_.FullyQualifiedErrorId.Split(',')[0])): $($_.Exception.Message)"
    }

    Write-Step '2. A fix is pushed; CI passes'
    Invoke-Control "github/repos/alphagov/frontend/pulls/$($pr.number)/push" @{ ci = 'success'; message = 'Fix the banner test' } | Out-Null
    $checked = Wait-PullRequestCheck -Application frontend -Number $pr.number -Timeout '00:01:00'
    Show ($checked | Select-Object Number, CiState, @{ n = 'Checks'; e = { $_.Checks.Name -join ', ' } }, ReviewState)

    Write-Step '3. Review: a colleague approves'
    Invoke-Control "github/repos/alphagov/frontend/pulls/$($pr.number)/reviews" @{ user = 'alice-govuk'; state = 'APPROVED'; body = 'Looks good' } | Out-Null
    Show (Get-PullRequest -Application frontend -Number $pr.number | Select-Object Number, CiState, ReviewState, Approvers, Mergeable)

    Write-Step '4. Merge (guarded on the head SHA that was checked); a colleague merges a change too'
    $ours = Merge-PullRequest -Application frontend -Number $pr.number -Confirm:$false
    Show ($ours | Select-Object Number, Merged, Method, HeadSha, Sha)
    $bobs = Invoke-Control 'github/repos/alphagov/frontend/pulls' @{ title = 'Fix a broken link in the footer'; ci = 'success'; author = 'bob-govuk' }
    Wait-PullRequestCheck -Application frontend -Number $bobs.number -Timeout '00:01:00' | Out-Null
    Invoke-Control "github/repos/alphagov/frontend/pulls/$($bobs.number)/reviews" @{ user = 'alice-govuk'; state = 'APPROVED' } | Out-Null
    $theirs = Merge-PullRequest -Application frontend -Number $bobs.number -Confirm:$false
    Write-Say "Merged #$($pr.number) (ours) and #$($bobs.number) (bob-govuk's)."

    Write-Step '5. CI on the default branch passes; Jenkins tags each release, deploys it to integration, then runs Smokey'
    # Wait-Release follows each merge through CI, its release_N tag, CI's Integration deploy and the smoke tests.
    $ourRelease = $ours | Wait-Release -TimeoutSec 300
    $release = $theirs | Wait-Release -TimeoutSec 300
    Show @($ourRelease, $release)
    Show ($release.IntegrationDeploy | Select-Object Environment, Release, Status, DeployedBy, BuildUrl)
    Write-Say "$($release.Tag) holds both merges. CI deployed it to integration and Smokey passed ($($release.SmokeTest.BuildUrl))."
    Write-Say 'GovukDeploy did not run those deploys: it observes them in Jenkins, so they count for promotion.'
    Show (Get-Deployment -Application frontend -Environment integration -Last 3 | Select-Object Environment, Release, Status, DeployedBy, Source)

    Write-Step '6. What would go out to staging, and whose changes they are'
    Show (Get-UndeployedChange -Application frontend -Environment staging | Select-Object @{ n = 'Sha'; e = { $_.Sha.Substring(0, 7) } }, Author, IsOtherAuthor, PullRequest, Message)

    Write-Step '7. A deploy freeze blocks staging'
    Set-DeployFreeze -Application frontend -Reason 'Content migration running' -Contact '#govuk-frontenders' -Until (Get-Date).AddHours(2) -Environment staging, production
    Show (Get-DeployFreeze -Application frontend)
    try {
        Invoke-Deploy -Application frontend -Environment staging -ErrorAction Stop | Out-Null
    } catch {
        Write-Say "Refused ($($_.FullyQualifiedErrorId.Split(',')[0])): $($_.Exception.Message)"
    }
    Write-Say 'The migration is done; lifting the freeze.'
    Remove-DeployFreeze -Application frontend

    Write-Step '8. Staging: every gate, then the deploy'
    Show (Invoke-Deploy -Application frontend -Environment staging -Release $release.Tag -WhatIf 3>$null 6>$null)
    if ($outOfHours) { Write-Say 'Outside deploy hours: proceeding with -Force -Reason (the override is audited).' }
    Write-Say "Other people's changes are listed as a warning; -Force confirms we checked with them."
    Show (Invoke-Deploy -Application frontend -Environment staging -Release $release.Tag -Force -Reason ($override.Reason ?? 'Checked with bob-govuk') -WarningAction Continue |
        Select-Object Id, Environment, Release, Status, Duration, BuildUrl)

    Write-Step '9. Production: every gate, then the deploy (ConfirmImpact High: a runbook passes -Confirm:$false)'
    Show (Invoke-Deploy -Application frontend -Environment production -Release $release.Tag -WhatIf 3>$null 6>$null)
    Show (Invoke-Deploy -Application frontend -Environment production -Release $release.Tag -Force -Reason ($override.Reason ?? 'Checked with bob-govuk') -SmokeTest -Confirm:$false 3>$null |
        Select-Object Id, Environment, Release, Status, SmokeTest, Duration)
    if ($outOfHours) {
        Write-Say 'The window override, as the audit log records it:'
        Show (Get-AuditEvent -Kind GateOverridden | Select-Object At, Actor, Application, Environment, Detail)
    }

    Write-Step '10. After the deploy: new errors in Sentry, Icinga alerts, the dashboard, the smoke tests'
    $health = Test-DeployHealth -Application frontend -Environment production
    Write-Say "frontend in production: $($health.Verdict)"
    Show ($health.Checks | Select-Object Name, Outcome, Detail)

    Write-Step '11. An unhealthy deploy, rolled back by itself'
    Write-Say 'A new error will reach Sentry just after contacts-admin next goes to staging (the sandbox scripts it).'
    Invoke-Control 'after-deploy' @{ application = 'contacts-admin'; environment = 'staging'; effect = 'new-error' } | Out-Null
    $deploys = Invoke-Deploy -Application contacts-admin -Environment staging -Release release_8 -Verify -VerifyFor (New-TimeSpan -Minutes 2) -RollbackOnUnhealthy @override `
        -ErrorVariable unhealthy -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
    Show ($deploys | Select-Object Id, Environment, Release, Status, IsRollback, @{ Name = 'Health'; Expression = { $_.Health.Verdict } })
    foreach ($problem in $unhealthy) { Write-Say "Reported ($($problem.FullyQualifiedErrorId.Split(',')[0])): $($problem.Exception.Message)" }
    Write-Say 'The rollback, as the audit log records it:'
    Show (Get-AuditEvent -Application contacts-admin -Kind RollbackStarted | Select-Object At, Actor, Environment, Detail)

    Write-Step '12. Where everything stands'
    Show (Get-DeployStatus)
    Show (Get-Deployment -Application frontend | Select-Object Id, Environment, Release, Status, DeployedBy, SmokeTest)
    Write-Say 'Done: pull request to production, every step checked, and an unhealthy deploy undone.'
}
finally {
    Stop-GovukDeploySandbox -ErrorAction SilentlyContinue
    Remove-Item $demoHome -Recurse -Force -ErrorAction SilentlyContinue
}
