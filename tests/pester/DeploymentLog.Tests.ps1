BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isolated = New-IsolatedEnvironment
    Use-Environment $isolated {
        Import-Module (Get-TestModulePath) -Force
        # The sandbox's own applications fill the catalogue: nothing to add by hand.
        $script:sandbox = Start-GovukDeploySandbox -DeploySeconds 1 -CiSeconds 0.5
    }
}

AfterAll {
    Use-Environment $isolated { Stop-GovukDeploySandbox }
}

Describe 'Get-DeploymentLog' {
    It 'prints the console of a deployment piped from Get-Deployment, all of it or its tail' {
        Use-Environment $isolated {
            # Staging's newest frontend deploy is a failed release_12 (the sandbox's seed).
            $deployment = Get-Deployment -Application frontend -Environment staging -Last 1
            $deployment.BuildUrl | Should -Not -BeNullOrEmpty
            $lines = $deployment | Get-DeploymentLog
            $lines[0].PSObject.TypeNames | Should -Contain 'GovukDeploy.DeploymentLogLine'
            $lines.Text | Should -Contain 'Deploying frontend release_12 to staging (task: deploy)'
            $lines[-1].Text | Should -Be 'Finished: FAILURE'
            $lines.BuildUrl | Select-Object -Unique | Should -Be $deployment.BuildUrl

            $tail = $deployment | Get-DeploymentLog -Tail 2
            $tail.Text | Should -Be @($lines[-2].Text, $lines[-1].Text)
            (Get-DeploymentLog frontend staging -Tail 1).Text | Should -Be 'Finished: FAILURE'
            # The default view is the console itself.
            ($deployment | Get-DeploymentLog -Tail 1 | Out-String).Trim() | Should -Be 'Finished: FAILURE'
        }
    }

    It 'takes several deployments from the pipeline' {
        Use-Environment $isolated {
            $deployments = Get-Deployment -Application contacts-admin -Last 2
            $logs = $deployments | Get-DeploymentLog -Tail 1
            @($logs).Count | Should -Be 2
            ($logs.BuildUrl | Sort-Object) | Should -Be ($deployments.BuildUrl | Sort-Object)
        }
    }

    It 'refuses an unknown deployment, and a Jenkins that is down, with typed errors' {
        Use-Environment $isolated {
            { Get-DeploymentLog -Id 999999 -ErrorAction Stop } | Should -Throw -ErrorId 'DeploymentNotFound,*'
            { Get-DeploymentLog -Application frontend -Environment preview -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownEnvironment,*'
            $deployment = Get-Deployment -Application frontend -Environment production -Last 1
            $jenkins = (Get-GovukDeployConfiguration -Name JenkinsUrl).Value
            Set-GovukDeployConfiguration -JenkinsUrl 'http://127.0.0.1:1/jenkins/{environment}/'
            try {
                $deployment | Get-DeploymentLog -ErrorVariable failure -ErrorAction SilentlyContinue
                $failure[0].FullyQualifiedErrorId | Should -BeLike 'JenkinsUnreachable,*'
                $failure[0].CategoryInfo.Category | Should -Be 'ConnectionError'
            } finally {
                Set-GovukDeployConfiguration -JenkinsUrl $jenkins
            }
        }
    }
}

Describe 'Get-Deployment -Web' {
    It 'prints the build''s address where no browser may be opened, and writes no deployment' {
        Use-Environment $isolated {
            $newest = Get-Deployment -Application whitehall -Environment production -Last 1
            $said = Get-Deployment -Application whitehall -Environment production -Web -Verbose 6>&1 4>&1
            ($said | ForEach-Object { "$_" }) | Should -Contain $newest.BuildUrl
            ($said | ForEach-Object { "$_" }) -join "`n" | Should -Match 'GOVUK_DEPLOY_NO_BROWSER is set'
            @(Get-Deployment -Application whitehall -Environment production -Web 6>$null) | Should -BeNullOrEmpty
        }
    }

    It 'hands the address to the browser the BROWSER setting names, when browsers are allowed' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'the stand-in browser is a shell script'; return }
        $browserEnvironment = [ordered]@{}
        foreach ($name in $isolated.Keys) { $browserEnvironment[$name] = $isolated[$name] }
        $browserEnvironment.GOVUK_DEPLOY_NO_BROWSER = ''
        $opened = Join-Path $isolated.GOVUK_DEPLOY_TEST_ROOT 'opened.txt'
        $standIn = Join-Path $isolated.GOVUK_DEPLOY_TEST_ROOT 'stand-in-browser.sh'
        # A stand-in browser: it writes down what it was asked to open, and opens nothing.
        Set-Content -Path $standIn -Value "#!/bin/sh`nprintf '%s' `"`$1`" > '$opened'"
        & chmod +x $standIn
        $browserEnvironment.BROWSER = $standIn
        Use-Environment $browserEnvironment {
            $newest = Get-Deployment -Application whitehall -Environment production -Last 1
            $said = Get-Deployment -Application whitehall -Environment production -Web 6>&1
            "$said" | Should -Be "Opened $($newest.BuildUrl) in the browser."
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (-not (Test-Path $opened) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            Get-Content $opened -Raw | Should -Be $newest.BuildUrl
        }
    }
}
