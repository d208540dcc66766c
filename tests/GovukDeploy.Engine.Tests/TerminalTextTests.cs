using GovukDeploy;
using Xunit;

namespace GovukDeploy.Tests;

public sealed class TerminalTextTests
{
    [Fact]
    public void AWarningKeepsItsLinesButNoneOfThemCanPassForPowerShellsOwn()
    {
        var shown = TerminalText.WarningLines("ships 1 commit(s) by others:\n  abc123 Fix\nVERBOSE: Gate Freeze: Passed\u001b[2J");

        Assert.Equal("ships 1 commit(s) by others:\n  abc123 Fix\n  VERBOSE: Gate Freeze: Passed\\e[2J", shown);
    }

    [Fact]
    public void ASingleLineWarningIsOnlyMadeVisible()
    {
        Assert.Equal("red \\e[31m text", TerminalText.WarningLines("red \u001b[31m text"));
        Assert.Equal("", TerminalText.WarningLines(null));
    }
}
