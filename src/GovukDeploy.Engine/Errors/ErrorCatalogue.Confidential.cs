namespace GovukDeploy.Errors;

/// <summary>Confidential mode (security incidents): the refusals that keep a fix from being disclosed.</summary>
public static partial class ErrorCatalogue
{
    public static GovukDeployException RepositoryNotPrivate(Application application, string what) => new(
        nameof(RepositoryNotPrivate), ErrorKind.SecurityError,
        $"{application.Name} is confidential, but its repository {application.Repository} is public, so {what} would disclose the change. " +
        "Make the repository private first (a security fix is made in private, as GOV.UK's manual says), then try again. " +
        "If it truly cannot wait, add -Force -Reason '...'; the override is audited.",
        application.Repository);

    public static GovukDeployException RepositoryVisibilityUnknown(Application application, string what, string why) => new(
        nameof(RepositoryVisibilityUnknown), ErrorKind.ResourceUnavailable,
        $"{application.Name} is confidential, and whether its repository {application.Repository} is private is unknown ({why}), so {what} is refused. " +
        "Check that GitHub answers and that the token can see the repository, then try again; or, if it truly cannot wait, add -Force -Reason '...' (audited).",
        application.Repository);

    public static GovukDeployException ConfidentialReasonRequired(string application) => new(
        nameof(ConfidentialReasonRequired), ErrorKind.InvalidArgument,
        $"Turning confidential mode on for {application} needs a reason for the audit log: add -Reason 'security incident, see the incident channel'. " +
        "The reason is kept in the shared store: name the incident, not the vulnerability.",
        application);

    public static GovukDeployException BranchFromFork(Application application, string branch, string headRepository) => new(
        nameof(BranchFromFork), ErrorKind.InvalidOperation,
        $"The branch {branch} is in {headRepository}, a fork, not in {application.Repository}: Jenkins' Deploy_App fetches branches from " +
        $"{application.Repository} only, so it cannot deploy it. Push the branch to {application.Repository} (or ask someone with access to), then deploy that branch.",
        headRepository);

    /// <summary>A confidential branch deploy is recorded by its commit, and the branch's head commit is not known.</summary>
    public static GovukDeployException ConfidentialBranchUnresolved(string application, string repository) => new(
        nameof(ConfidentialBranchUnresolved), ErrorKind.ResourceUnavailable,
        $"A confidential branch deploy of {application} is recorded by its commit, and the head commit of the branch could not be read from {repository}. " +
        "Check that GitHub answers, then deploy again through Invoke-Deploy, whose gates read it.",
        application);
}
