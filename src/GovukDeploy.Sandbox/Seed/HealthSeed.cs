using GovukDeploy.Sandbox.GitHub;
using GovukDeploy.Sandbox.Icinga;
using GovukDeploy.Sandbox.Sentry;

namespace GovukDeploy.Sandbox.Seed;

/// <summary>
/// What each seeded application has in Sentry and Icinga: a Sentry project (its slug the application's
/// name) with a few issues from well before any deploy, and in each environment's Icinga a healthy
/// app_healthcheck service whose vars.app is the application's name.
/// </summary>
public static class HealthSeed
{
    public static void Infrastructure(IcingaStore icinga, DateTimeOffset now)
    {
        // A service no application filter should pick.
        foreach (var environment in icinga.Environments)
        {
            icinga.Add(environment, new IcingaService
            {
                HostName = $"puppetmaster-1.{environment}.sandbox.invalid",
                Name = "puppet_last_run",
                DisplayName = "puppet last run",
                CheckCommand = "check_puppet",
                Output = "OK: puppet ran 12 minutes ago",
                LastStateChange = now.AddDays(-9),
                LastCheck = now,
            });
        }
    }

    public static void App(GitRepository repo, SentryStore sentry, IcingaStore icinga, DateTimeOffset now)
    {
        var project = sentry.AddProject(repo.Name, now.AddDays(-400));
        sentry.AddIssue(project, "ActionView::Template::Error: undefined local variable 'organisation'", "error",
            now.AddDays(-40), now.AddDays(-35), 112, status: "resolved", culprit: "OrganisationsController#show");
        sentry.AddIssue(project, "Faraday::TimeoutError: Net::ReadTimeout with #<TCPSocket:(closed)>", "error",
            now.AddDays(-6), now.AddDays(-1), 57, substatus: "ongoing", culprit: "GdsApi::Base#get_json");
        sentry.AddIssue(project, "Deprecation warning: Rails 7.2 will change to_time", "warning",
            now.AddDays(-10), now.AddHours(-2), 1340, substatus: "ongoing", culprit: "config/application.rb");

        foreach (var environment in icinga.Environments)
        {
            icinga.Add(environment, new IcingaService
            {
                HostName = $"{repo.Name}-1.{environment}.sandbox.invalid",
                Name = "app_healthcheck",
                DisplayName = $"{repo.Name} app healthcheck",
                Vars = new Dictionary<string, object?> { ["app"] = repo.Name, ["deploy_name"] = repo.DeployName, ["environment"] = environment },
                LastStateChange = now.AddDays(-3),
                LastCheck = now,
            });
        }
    }
}
