using GovukDeploy.Catalogue;

namespace GovukDeploy.Tests.Catalogue;

public sealed class NameSuggestionsTests
{
    [Theory]
    [InlineData("whitehal", "whitehall")]
    [InlineData("pubilsher", "publisher")]
    [InlineData("SMART-ANSWER", "smart-answers")]
    [InlineData("frontend", "frontend")]
    public void TheNearestNameComesFirst(string typed, string expected)
    {
        var known = new[] { "whitehall", "publisher", "smart-answers", "frontend", "finder-frontend", "collections" };
        Assert.Equal(expected, NameSuggestions.For(typed, known)[0]);
    }

    [Fact]
    public void NothingCloseMeansNoSuggestion()
    {
        Assert.Empty(NameSuggestions.For("xyzzy", ["whitehall", "publisher"]));
    }

    [Fact]
    public void DistanceCountsTranspositionsAsOneEdit()
    {
        Assert.Equal(1, NameSuggestions.Distance("pubilsher", "publisher"));
        Assert.Equal(1, NameSuggestions.Distance("ab", "ba"));
        Assert.Equal(3, NameSuggestions.Distance("kitten", "sitting"));
    }
}
