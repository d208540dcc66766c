using GovukDeploy.Configuration;
using GovukDeploy.DeployWindows;
using GovukDeploy.Errors;
using GovukDeploy.GitHub;
using GovukDeploy.Holidays;
using GovukDeploy.Status;
using NodaTime;
using NodaTime.Testing;

namespace GovukDeploy.Tests;

/// <summary>The one ordered list of environments that everything asks, under GOV.UK's three, a custom three and two.</summary>
public class EnvironmentPolicyTests
{
    private static readonly EnvironmentPolicy TwoEnvironments = new(["dev", "prod"]);
    private static readonly EnvironmentPolicy CustomThree = new(["test", "pre-prod", "live"]);

    [Fact]
    public void EachEnvironmentsPredecessorIsTheOneBeforeItInPromotionOrder()
    {
        Assert.Null(EnvironmentPolicy.Default.PredecessorOf("integration"));
        Assert.Equal("integration", EnvironmentPolicy.Default.PredecessorOf("Staging"));
        Assert.Equal("staging", EnvironmentPolicy.Default.PredecessorOf("production"));
        Assert.Equal("pre-prod", CustomThree.PredecessorOf("live"));
        Assert.Equal("dev", TwoEnvironments.PredecessorOf("prod"));
        Assert.Null(TwoEnvironments.PredecessorOf("dev"));
    }

    [Fact]
    public void OfficeHoursAndTheDefaultFreezeScopeAreEveryEnvironmentButTheFirst()
    {
        Assert.Equal(["staging", "production"], EnvironmentPolicy.Default.DefaultFreezeScope);
        Assert.Equal(["pre-prod", "live"], CustomThree.DefaultFreezeScope);
        Assert.Equal(["prod"], TwoEnvironments.DefaultFreezeScope);
        Assert.Equal(["only"], new EnvironmentPolicy(["only"]).DefaultFreezeScope);
        Assert.False(TwoEnvironments.KeepsOfficeHoursByDefault("dev"));
        Assert.True(TwoEnvironments.KeepsOfficeHoursByDefault("prod"));
        Assert.Equal(("production", "prod", "live"), (EnvironmentPolicy.Default.Last, TwoEnvironments.Last, CustomThree.Last));
    }

    [Fact]
    public void AnEnvironmentThatIsNotConfiguredIsUnknownEnvironmentNamingTheConfiguredOnes()
    {
        var error = Assert.Throws<GovukDeployException>(() => TwoEnvironments.Require("staging"));
        Assert.Equal(("UnknownEnvironment", ErrorKind.InvalidArgument, "staging"), (error.ErrorId, error.Kind, (string?)error.Target));
        Assert.Contains("dev, prod", error.Message);
        Assert.Equal("prod", TwoEnvironments.Require(" PROD "));
        Assert.Equal("InvalidEnvironments", Assert.Throws<GovukDeployException>(() => new EnvironmentPolicy(["a", "A"])).ErrorId);
        Assert.Equal("InvalidEnvironments", Assert.Throws<GovukDeployException>(() => new EnvironmentPolicy([])).ErrorId);
    }

    [Fact]
    public void DeployWindowsFollowThePolicyAndKnowOnlyTheConfiguredEnvironments()
    {
        // Saturday noon: office hours are closed, an always-open environment is open.
        var clock = new FakeClock(Instant.FromUtc(2026, 11, 28, 12, 0));
        var windows = new DeployWindowService(clock, DeployWindowPolicy.Build(null, TwoEnvironments), new BankHolidayCalendar(), environments: TwoEnvironments);

        Assert.True(windows.Test(null, "dev").Allowed);
        Assert.False(windows.Test(null, "prod").Allowed);
        Assert.Equal("prod", windows.Test(null, null).Environment);
        Assert.Equal("prod", windows.Windows(null, 7, null)[0].Environment);
        Assert.Equal("UnknownEnvironment", Assert.Throws<GovukDeployException>(() => windows.Test(null, "production")).ErrorId);

        var overridden = DeployWindowPolicy.Build(new Dictionary<string, DeployWindowPolicySettings> { ["prod"] = DeployWindowPolicySettings.Always(), ["production"] = DeployWindowPolicySettings.Always() }, TwoEnvironments);
        Assert.Equal(["dev", "prod"], overridden.Keys.Order());
        Assert.True(overridden["prod"].AlwaysOpen);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ADateTheWindowSearchCannotReachIsDateOutOfRange(bool earliest)
    {
        var windows = new DeployWindowService(new FakeClock(Instant.FromUtc(2026, 11, 28, 12, 0)), DeployWindowPolicy.Build(), new BankHolidayCalendar());
        var value = earliest ? DateTimeOffset.MinValue : DateTimeOffset.MaxValue;

        var test = Assert.Throws<GovukDeployException>(() => windows.Test(value, "production"));
        var list = Assert.Throws<GovukDeployException>(() => windows.Windows(value, 7, "production"));

        foreach (var error in new[] { test, list })
        {
            Assert.Equal(("DateOutOfRange", ErrorKind.InvalidArgument, (object)value), (error.ErrorId, error.Kind, error.Target!));
        }
    }

    [Fact]
    public void StatusWordsAndColumnsAreNamedAfterTheConfiguredEnvironments()
    {
        var tags = new[] { 3, 2, 1 }.Select(n => new ReleaseTag($"release_{n}", n)).ToList();

        var two = DeployStatusCalculator.Calculate("frontend", tags, ["release_3", "release_2"], [], environments: TwoEnvironments);
        Assert.Equal("DevAndProdNotInSync", two.Status);
        Assert.Equal([("dev", "release_3", 0), ("prod", "release_2", 1)], two.Environments.Select(e => (e.Environment, e.Release, e.Behind ?? -1)));
        Assert.Equal("release_2", two.ReleaseIn("PROD"));

        Assert.Equal("UndeployedChangesInDev", DeployStatusCalculator.Calculate("frontend", tags, ["release_2", "release_2"], [], environments: TwoEnvironments).Status);
        Assert.Equal("AllEnvironmentsMatch", DeployStatusCalculator.Calculate("frontend", tags, ["release_3", "release_3"], [], environments: TwoEnvironments).Status);
        Assert.Equal("UndeployedChangesInPreProd", DeployStatusCalculator.Calculate("frontend", tags, ["release_3", "release_2", "release_2"], [], environments: CustomThree).Status);
        Assert.Equal("PreProdAndLiveNotInSync", DeployStatusCalculator.Calculate("frontend", tags, ["release_3", "release_3", "release_2"], [], environments: CustomThree).Status);
        Assert.Equal("StagingAndProductionNotInSync", DeployStatusCalculator.Calculate("frontend", tags, ["release_3", "release_3", "release_1"], []).Status);
        Assert.Equal("UndeployedChangesInIntegration", DeployStatusCalculator.Calculate("frontend", tags, ["release_1", null, null], []).Status);
    }
}
