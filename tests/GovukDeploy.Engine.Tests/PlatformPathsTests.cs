using GovukDeploy.Platform;

namespace GovukDeploy.Tests;

public class PlatformPathsTests
{
    [Fact]
    public void ConfigFileHonoursOverrideVariable()
    {
        var previous = Environment.GetEnvironmentVariable("GOVUK_DEPLOY_CONFIG");
        try
        {
            var path = Path.Combine(Path.GetTempPath(), "govuk-deploy-test-config.json");
            Environment.SetEnvironmentVariable("GOVUK_DEPLOY_CONFIG", path);
            Assert.Equal(path, PlatformPaths.ConfigFile);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GOVUK_DEPLOY_CONFIG", previous);
        }
    }

    [Fact]
    public void DataDirectoryEndsInTheModulesOwnFolder()
    {
        Assert.Equal("GovukDeploy", Path.GetFileName(PlatformPaths.DataDirectory));
    }
}
