using GovukDeploy.Deploys;
using GovukDeploy.Deploys.Gates;
using GovukDeploy.Errors;

namespace GovukDeploy.Confidential;

/// <summary>
/// What a confidential deploy tells others: the release tag and SHA, never a branch name, a commit
/// message, a pull request's title or an author. The local user is shown everything, as before.
/// </summary>
public static class ConfidentialRedaction
{
    /// <summary>What the store keeps instead of a confidential branch's name when only Jenkins has seen the deploy.</summary>
    public const string WithheldBranch = "withheld";

    public const string WithheldDetail = "Details withheld: a confidential deploy.";

    /// <summary>Gates whose details name nothing of the change itself (times, freezes, deploys, visibility), kept as they are.</summary>
    private static readonly HashSet<string> SafeGates = [GateNames.PromotionOrder, GateNames.Freeze, GateNames.Window, GateNames.DeployLock, GateNames.Confidential];

    /// <summary>
    /// What the store records as the release: the tag, or for a branch the commit it deployed. A confidential
    /// branch deploy without a known commit is refused rather than record the branch's name.
    /// </summary>
    public static string RecordedRelease(DeployRequest request)
    {
        if (!request.IsBranchDeploy)
        {
            return request.Ref;
        }

        return string.IsNullOrWhiteSpace(request.Sha)
            ? throw ErrorCatalogue.ConfidentialBranchUnresolved(request.Application, request.BranchRepository ?? "its repository")
            : request.Sha!;
    }

    /// <summary>The gate verdicts as the store keeps them: gates that could name the change say only their outcome.</summary>
    public static IReadOnlyList<GateVerdict> ForStore(IReadOnlyList<GateVerdict> verdicts, DeployRequest request, string recordedRelease) =>
        verdicts.Select(v => SafeGates.Contains(v.Gate) ? v : new GateVerdict
        {
            Gate = v.Gate,
            Outcome = v.Outcome,
            Detail = v.Gate == GateNames.Release && v.Outcome == GateOutcome.Passed
                ? $"The {(request.IsBranchDeploy ? "branch's commit" : "release")} {recordedRelease} exists."
                : WithheldDetail,
        }).ToList();

    /// <summary>The only Slack announcement of a confidential deploy, sent once it has succeeded.</summary>
    public static string SlackAnnouncement(Application application, string environment, string recordedRelease, bool isBranch) =>
        $"A confidential change to {application.Name} was deployed to {environment} ({(isBranch ? "commit " + Short(recordedRelease) : recordedRelease)}).";

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}
