namespace GovukDeploy.Jenkins;

/// <summary>One read of logText/progressiveText: the text from the asked offset, where to read next, and whether more will come.</summary>
public sealed record JenkinsConsoleChunk(string Text, long NextStart, bool MoreData);
