namespace GovukDeploy.Deploys.Gates;

/// <summary>A commit that a deploy would ship and that someone else wrote (the caller finds these in GitHub).</summary>
public sealed record UndeployedCommit(string Sha, string Author, string Message, int? PullRequest = null)
{
    public override string ToString()
    {
        var firstLine = Message.Split('\n')[0].Trim();
        var sha = Sha.Length > 7 ? Sha[..7] : Sha;
        return $"{sha} {Author}: {firstLine}{(PullRequest is { } pr ? $" (#{pr})" : "")}";
    }
}
