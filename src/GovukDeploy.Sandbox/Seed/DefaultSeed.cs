namespace GovukDeploy.Sandbox.Seed;

/// <summary>
/// The built-in seed: a few alphagov apps covering the cases a deploy tool must get right.
/// </summary>
public static class DefaultSeed
{
    public static void Apply(SeedBuilder seed)
    {
        var alice = seed.Reviewers[0];
        var bob = seed.Reviewers[1];
        var carol = seed.Reviewers[2];

        // Deploy name differs from the repository name (GOV.UK's puppet_name).
        // Production's current release was deployed by someone other than the token's user.
        var contacts = seed.App("contacts-admin", "contacts", 8, "Publishing app for contact information",
            history => history.Running("production")!.By = alice);
        seed.Pull(contacts, seed.Developer, "Show opening hours on contact pages", "success", false,
            (alice, "APPROVED", "Looks good to me"));

        // More than 99 releases: release_120 must sort after release_99.
        // Staging's newest build ran app:migrate with release_120 after release_119 was deployed:
        // a task, not a deploy, so staging still runs release_119.
        seed.App("whitehall", null, 120, "Publishing app for government content",
            history => history.Add("staging", 120, history.TaggedAt(120).AddMinutes(95), carol,
                task: "app:migrate", duration: TimeSpan.FromSeconds(48)));

        // Pull requests in every state.
        // Staging's newest build is a failed deploy of release_12 after release_11 went out:
        // staging still runs release_11.
        var frontend = seed.App("frontend", null, 12, "Serves the GOV.UK homepage and simple pages",
            history => history.Add("staging", 12, history.TaggedAt(12).AddMinutes(75), bob,
                result: "FAILURE", duration: TimeSpan.FromMinutes(4)));
        // Frontend has review apps (a GitHub deployment with the app's address for each pull request).
        frontend.HasReviewApps = true;
        // Frontend also tags versions, for a release tag pattern of v*: v1.12.0 is newer than v1.9.0
        // (not as text), and the release candidate v1.10.0-rc1 older than v1.10.0.
        seed.AlsoTag(frontend, (8, "v1.2.0"), (9, "v1.9.0"), (10, "v1.10.0-rc1"), (11, "v1.10.0"), (12, "v1.12.0"));
        AddPullRequestsInEveryState(seed, frontend);
    }

    /// <summary>Green and approved; CI failing; changes requested; draft; waiting for the token user's review.</summary>
    public static void AddPullRequestsInEveryState(SeedBuilder seed, GitHub.GitRepository repo)
    {
        var alice = seed.Reviewers[0];
        var bob = seed.Reviewers[1];
        var carol = seed.Reviewers[2];
        seed.Pull(repo, seed.Developer, "Update the cookie banner wording", "success", false,
            (alice, "APPROVED", "Thanks, approved"));
        seed.Pull(repo, seed.Developer, "Upgrade the govuk_publishing_components gem", "failure", false,
            (bob, "APPROVED", "Approved once CI passes"));
        seed.Pull(repo, seed.Developer, "Cache the homepage for longer", "success", false,
            (carol, "CHANGES_REQUESTED", "This would serve stale content after an emergency banner; please keep the current TTL"));
        seed.Pull(repo, alice, "Try a new layout for the find-local-council page", "pending", true);
        seed.Pull(repo, bob, "Fix a typo in the footer", "success", false);
    }
}
