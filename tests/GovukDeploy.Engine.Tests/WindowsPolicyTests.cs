using System.Text.Json;
using GovukDeploy.Errors;
using GovukDeploy.DeployWindows;

namespace GovukDeploy.Tests;

public class WindowsPolicyTests
{
    [Fact]
    public void DefaultsAreGovukOfficeHoursAndIntegrationAlwaysOpen()
    {
        var policies = DeployWindowPolicy.Build();
        Assert.True(policies["integration"].AlwaysOpen);
        foreach (var environment in new[] { "staging", "Production" })
        {
            var policy = policies[environment];
            Assert.False(policy.AlwaysOpen);
            Assert.Equal("Europe/London", policy.TimeZone);
            Assert.Equal("england-and-wales", policy.HolidayDivision);
            var hours = policy.ToSettings().Hours;
            Assert.Equal(2, hours.Count);
            Assert.Equal(["Monday", "Tuesday", "Wednesday", "Thursday"], hours[0].Days);
            Assert.Equal(("09:30", "17:00"), (hours[0].Opens, hours[0].Closes));
            Assert.Equal(["Friday"], hours[1].Days);
            Assert.Equal(("09:30", "16:00"), (hours[1].Opens, hours[1].Closes));
        }
    }

    [Fact]
    public void SettingsRoundTripThroughJson()
    {
        var json = """
            { "staging": { "TimeZone": "Europe/Belfast", "HolidayDivision": "northern-ireland",
                           "Hours": [ { "Days": ["mon", "Wednesday"], "Opens": "8:00", "Closes": "12:00" } ] } }
            """;
        var settings = JsonSerializer.Deserialize<Dictionary<string, DeployWindowPolicySettings>>(json)!;
        var policies = DeployWindowPolicy.Build(settings);

        var staging = policies["staging"];
        Assert.Equal("Europe/Belfast", staging.TimeZone);
        Assert.Equal("northern-ireland", staging.HolidayDivision);
        var hours = Assert.Single(staging.ToSettings().Hours);
        Assert.Equal(["Monday", "Wednesday"], hours.Days);
        Assert.Equal("08:00", hours.Opens);
        // The environments not overridden keep their defaults.
        Assert.Equal(2, policies["production"].ToSettings().Hours.Count);

        var again = JsonSerializer.Serialize(staging.ToSettings());
        Assert.Equal(JsonSerializer.Serialize(DeployWindowPolicy.FromSettings("staging", JsonSerializer.Deserialize<DeployWindowPolicySettings>(again)!).ToSettings()), again);
    }

    [Theory]
    [InlineData("17:00", "09:30", "InvalidWindowPolicy", "09:30")]
    [InlineData("09:30", "09:30", "InvalidWindowPolicy", "09:30")]
    [InlineData("9.30", "17:00", "InvalidWindowPolicy", "9.30")]
    [InlineData("09:30", "25:00", "InvalidWindowPolicy", "25:00")]
    public void BadTimesAreRejected(string opens, string closes, string errorId, string target)
    {
        var settings = new DeployWindowPolicySettings { Hours = [new DeployHoursSettings { Days = ["Monday"], Opens = opens, Closes = closes }] };
        var error = Assert.Throws<GovukDeployException>(() => DeployWindowPolicy.FromSettings("production", settings));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(target, error.Target);
        Assert.Contains("production", error.Message);
    }

    [Fact]
    public void AnUnknownTimeZoneIsRejected()
    {
        var settings = DeployWindowPolicySettings.OfficeHours();
        settings.TimeZone = "Europe/Atlantis";
        var error = Assert.Throws<GovukDeployException>(() => DeployWindowPolicy.FromSettings("staging", settings));
        Assert.Equal("UnknownTimeZone", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("Europe/Atlantis", error.Target);
    }

    [Fact]
    public void AnUnknownDivisionIsRejected()
    {
        var settings = DeployWindowPolicySettings.OfficeHours();
        settings.HolidayDivision = "wales";
        var error = Assert.Throws<GovukDeployException>(() => DeployWindowPolicy.FromSettings("staging", settings));
        Assert.Equal("UnknownHolidayDivision", error.ErrorId);
        Assert.Equal("wales", error.Target);
    }

    [Theory]
    [InlineData("Funday")]
    [InlineData("")]
    public void AnUnknownDayIsRejected(string day)
    {
        var settings = new DeployWindowPolicySettings { Hours = [new DeployHoursSettings { Days = [day], Opens = "09:30", Closes = "17:00" }] };
        var error = Assert.Throws<GovukDeployException>(() => DeployWindowPolicy.FromSettings("staging", settings));
        Assert.Equal("InvalidWindowPolicy", error.ErrorId);
        Assert.Equal(day, error.Target);
    }

    [Fact]
    public void ADayListedTwiceIsRejected()
    {
        var settings = new DeployWindowPolicySettings
        {
            Hours =
            [
                new DeployHoursSettings { Days = ["Monday"], Opens = "09:30", Closes = "17:00" },
                new DeployHoursSettings { Days = ["Mon"], Opens = "10:00", Closes = "12:00" },
            ],
        };
        Assert.Equal("InvalidWindowPolicy", Assert.Throws<GovukDeployException>(() => DeployWindowPolicy.FromSettings("staging", settings)).ErrorId);
    }

    [Fact]
    public void APolicyThatNeverOpensIsRejected()
    {
        var error = Assert.Throws<GovukDeployException>(() => DeployWindowPolicy.FromSettings("staging", new DeployWindowPolicySettings()));
        Assert.Equal("InvalidWindowPolicy", error.ErrorId);
        Assert.Contains("AlwaysOpen", error.Message);
    }
}
