namespace GovukDeploy.GitHub;

/// <summary>
/// How a pull request's CI signals and reviews fold into one state each. The CI rule follows
/// GitHub's own combined status: any failure makes it Failure (even while others still run, since
/// the outcome can no longer be success); otherwise anything running, or no signal at all, makes it
/// Pending (a repository whose CI has not reported yet must not look green); otherwise Success.
/// </summary>
public static class PullRequestStates
{
    public static CiState FoldStatus(string? state) => state?.ToLowerInvariant() switch
    {
        "success" => CiState.Success,
        "failure" or "error" => CiState.Failure,
        _ => CiState.Pending,
    };

    /// <summary>A check run: its conclusion once completed, else it is still running.</summary>
    public static CiState FoldCheckRun(string? status, string? conclusion)
    {
        if (!string.Equals(status, "completed", StringComparison.OrdinalIgnoreCase))
        {
            return CiState.Pending;
        }
        return conclusion?.ToLowerInvariant() switch
        {
            "success" or "neutral" or "skipped" => CiState.Success,
            "failure" or "cancelled" or "timed_out" or "action_required" or "startup_failure" or "stale" => CiState.Failure,
            _ => CiState.Pending,
        };
    }

    public static CiState Combine(IEnumerable<CheckResult> checks)
    {
        var list = checks.ToList();
        if (list.Any(c => c.State == CiState.Failure))
        {
            return CiState.Failure;
        }
        if (list.Count == 0 || list.Any(c => c.State == CiState.Pending))
        {
            return CiState.Pending;
        }
        return CiState.Success;
    }

    /// <summary>One review as the fold needs it.</summary>
    public readonly record struct Review(string Reviewer, string State, DateTimeOffset SubmittedAt, long Id);

    /// <summary>
    /// Each reviewer's latest review that approves or requests changes counts (comments and dismissed
    /// reviews do not), so a later "changes requested" overrides that reviewer's earlier approval.
    /// </summary>
    public static (ReviewState State, string[] Approvers) FoldReviews(IEnumerable<Review> reviews)
    {
        var latest = reviews
            .Where(r => r.State is "APPROVED" or "CHANGES_REQUESTED")
            .GroupBy(r => r.Reviewer, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.OrderBy(r => r.SubmittedAt).ThenBy(r => r.Id).Last())
            .ToList();
        var approvers = latest.Where(r => r.State == "APPROVED").Select(r => r.Reviewer).OrderBy(r => r, StringComparer.OrdinalIgnoreCase).ToArray();
        if (latest.Any(r => r.State == "CHANGES_REQUESTED"))
        {
            return (ReviewState.ChangesRequested, approvers);
        }
        return (approvers.Length > 0 ? ReviewState.Approved : ReviewState.ReviewRequired, approvers);
    }
}
