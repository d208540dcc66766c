# The sandbox's Jenkins as the npm Jenkins client sees it: its log stream posts `start` in a form body,
# and must receive a build's console once, not again at every poll.
BeforeDiscovery {
    $script:client = $env:GOVUK_DEPLOY_TEST_NODE_JENKINS
    $script:skipReason = if (-not $client) { 'the npm Jenkins client is not installed (build.ps1 Test installs it when node and npm are on the PATH)' }
        elseif (-not (Get-Command node -CommandType Application -ErrorAction SilentlyContinue)) { 'node is not on the PATH' }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isolated = New-IsolatedEnvironment
    Use-Environment $isolated {
        Import-Module (Get-TestModulePath) -Force
        # Long enough that the client polls a running build several times.
        $script:sandbox = Start-GovukDeploySandbox -DeploySeconds 3 -CiSeconds 0.5
    }
}

AfterAll {
    Use-Environment $isolated { Stop-GovukDeploySandbox }
}

Describe 'The npm Jenkins client' {
    It 'streams a running deploy''s console once, as real Jenkins serves it' -Skip:([bool] $skipReason) {
        $stream = Join-Path $TestDrive 'stream.js'
        Set-Content -Path $stream -Value @'
const Jenkins = require(process.env.NODE_JENKINS);
const [base, job, number] = process.argv.slice(2);
const jenkins = new Jenkins({ baseUrl: base });
let text = "", polls = 0;
const log = jenkins.build.logStream(job, Number(number), { delay: 250 });
log.on("data", chunk => { polls++; text += chunk; });
log.on("error", error => { console.error(error.message); process.exit(1); });
log.on("end", () => process.stdout.write(JSON.stringify({ text, polls })));
'@
        Use-Environment $isolated {
            Invoke-Deploy -Application frontend -Environment integration -NoWait -Confirm:$false | Out-Null
            $buildUrl = $null
            for ($i = 0; $i -lt 100 -and -not $buildUrl; $i++) {
                Start-Sleep -Milliseconds 100
                $buildUrl = (Get-Deployment -Application frontend -Environment integration -Offline -WarningAction SilentlyContinue | Select-Object -First 1).BuildUrl
            }
            $buildUrl | Should -Not -BeNullOrEmpty -Because 'the deploy should have left the queue'
            $number = [regex]::Match($buildUrl, '/(\d+)/$').Groups[1].Value
            $base = $buildUrl -replace '/job/Deploy_App/\d+/$', ''

            $env:NODE_JENKINS = $env:GOVUK_DEPLOY_TEST_NODE_JENKINS
            $answer = node $stream $base 'Deploy_App' $number | ConvertFrom-Json
            $LASTEXITCODE | Should -Be 0

            $whole = Invoke-WebRequest ($buildUrl + 'logText/progressiveText?start=0')
            $answer.polls | Should -BeGreaterThan 1 -Because 'the build was still running when the stream began'
            $answer.text | Should -BeExactly ([string] $whole.Content) -Because 'each part of the console comes once, in order'
            $answer.text | Should -Match 'Finished: SUCCESS\s*$'
        }
    }
}
