using GovukDeploy.Errors;

namespace GovukDeploy.Confidential;

/// <summary>The refusals of confidential mode, each saying what to do.</summary>
public static class ConfidentialErrors
{
    public static GovukDeployException RepositoryNotPrivate(Application application, string what) => new(
        "RepositoryNotPrivate", ErrorKind.SecurityError,
        $"{application.Name} is confidential, but its repository {application.Repository} is public, so {what} would disclose the change. " +
        "Make the repository private first (a security fix is made in private, as GOV.UK's manual says), then try again. " +
        "If it truly cannot wait, add -Force -Reason '...'; the override is audited.",
        application.Repository);

    public static GovukDeployException VisibilityUnknown(Application application, string what, string why) => new(
        "RepositoryVisibilityUnknown", ErrorKind.ResourceUnavailable,
        $"{application.Name} is confidential, and whether its repository {application.Repository} is private is unknown ({why}), so {what} is refused. " +
        "Check that GitHub answers and that the token can see the repository, then try again; or, if it truly cannot wait, add -Force -Reason '...' (audited).",
        application.Repository);

    public static GovukDeployException ReasonRequired(string application) => new(
        "ConfidentialReasonRequired", ErrorKind.InvalidArgument,
        $"Turning confidential mode on for {application} needs a reason for the audit log: add -Reason 'security incident, see the incident channel'. " +
        "The reason is kept in the shared store: name the incident, not the vulnerability.",
        application);

    public static GovukDeployException BranchFromFork(Application application, string branch, string headRepository) => new(
        "BranchFromFork", ErrorKind.InvalidOperation,
        $"The branch {branch} is in {headRepository}, a fork, not in {application.Repository}: Jenkins' Deploy_App fetches branches from " +
        $"{application.Repository} only, so it cannot deploy it. Push the branch to {application.Repository} (or ask someone with access to), then deploy that branch.",
        headRepository);
}
