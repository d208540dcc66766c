namespace GovukDeploy.Errors;

/// <summary>Input that is refused before anything is done: free text, git names, wildcards and dates.</summary>
public static partial class ErrorCatalogue
{
    /// <summary><paramref name="shown"/> is the text as it may be shown (control characters made visible, bounded).</summary>
    public static GovukDeployException InvalidText(string parameter, string shown) => new(
        nameof(InvalidText), ErrorKind.InvalidArgument,
        $"-{parameter} holds a control character ('{shown}'). Give plain text: line breaks and tabs are the only control characters it may hold.",
        shown);

    /// <summary><paramref name="shown"/> is the reference as it may be shown (control characters made visible, bounded).</summary>
    public static GovukDeployException InvalidReference(string reference, string shown) => new(
        nameof(InvalidReference), ErrorKind.InvalidArgument,
        $"'{shown}' is not a git branch, tag or commit name. Give one as git allows it: no empty, '.' or '..' parts, no control characters, at most 255 characters.",
        reference);

    public static GovukDeployException WildcardNotSupported(string name, string parameter) => new(
        nameof(WildcardNotSupported), ErrorKind.InvalidArgument,
        $"{parameter} takes one application's name, not a pattern ('{name}'). Name the application; Get-Application '{name}' lists the ones the pattern matches.",
        name);

    public static GovukDeployException InvalidWildcardPattern(string pattern) => new(
        nameof(InvalidWildcardPattern), ErrorKind.InvalidArgument,
        $"'{pattern}' is not a wildcard pattern: the set opened by '[' is never closed. Close it ('[abc]'), or write ``[ for a literal '['.",
        pattern);

    /// <summary>A pattern that selects no application: an error, as Get-ChildItem's is, so that a freeze never silently covers nothing.</summary>
    public static GovukDeployException NoApplicationMatched(string pattern) => new(
        nameof(NoApplicationMatched), ErrorKind.ObjectNotFound,
        $"No application matches '{pattern}'. Get-Application lists the catalogue; check the pattern (PowerShell's wildcards: *, ?, [abc]).",
        pattern);

    public static GovukDeployException DateOutOfRange(string parameter, DateTimeOffset value, int firstYear, int lastYear) => new(
        nameof(DateOutOfRange), ErrorKind.InvalidArgument,
        $"{parameter} {Utc(value)} is outside the dates deploy windows are worked out for. Give a date from {firstYear} to {lastYear}.",
        value);
}
