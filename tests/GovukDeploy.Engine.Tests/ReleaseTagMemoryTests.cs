using GovukDeploy.GitHub;
using Xunit;

namespace GovukDeploy.Tests;

public sealed class ReleaseTagMemoryTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "govukdeploy-tags-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void TagsListedForARepositoryAndPatternAreRecalledInTheirOrder()
    {
        ReleaseTagMemory.Remember(_folder, "alphagov/frontend", "v*", ["v1.12.0", "v1.10.0", "v1.10.0-rc1"]);

        Assert.Equal(["v1.12.0", "v1.10.0", "v1.10.0-rc1"], ReleaseTagMemory.Recall(_folder, "alphagov/frontend", "v*"));
        Assert.Equal(["v1.12.0", "v1.10.0", "v1.10.0-rc1"], ReleaseTagMemory.Recall(_folder, "Alphagov/Frontend", "v*"));
        Assert.Empty(ReleaseTagMemory.Recall(_folder, "alphagov/frontend", "release_*"));
        Assert.Empty(ReleaseTagMemory.Recall(_folder, "alphagov/whitehall", "v*"));
    }

    [Fact]
    public void ANameThatLooksLikeAPathNeverBecomesOne()
    {
        ReleaseTagMemory.Remember(_folder, "../../escape", "release_*", ["release_1"]);

        var written = Assert.Single(Directory.GetFiles(_folder, "*", SearchOption.AllDirectories));
        Assert.StartsWith(Path.Combine(_folder, "release-tags"), written, StringComparison.Ordinal);
        Assert.Equal(["release_1"], ReleaseTagMemory.Recall(_folder, "../../escape", "release_*"));
    }

    [Fact]
    public void AnUnreadableOrMissingListOffersNothing()
    {
        Assert.Empty(ReleaseTagMemory.Recall(null, "alphagov/frontend", "release_*"));
        Assert.Empty(ReleaseTagMemory.Recall(_folder, "alphagov/frontend", "release_*"));
        ReleaseTagMemory.Remember(_folder, "alphagov/frontend", "release_*", ["release_2"]);
        var file = Assert.Single(Directory.GetFiles(_folder, "*.json", SearchOption.AllDirectories));
        File.WriteAllText(file, "{ not json");

        Assert.Empty(ReleaseTagMemory.Recall(_folder, "alphagov/frontend", "release_*"));
    }
}
