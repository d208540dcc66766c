using GovukDeploy.Catalogue;

namespace GovukDeploy.Errors;

/// <summary>The application catalogue: names, repositories and catalogue files.</summary>
public static partial class ErrorCatalogue
{
    public static GovukDeployException InvalidApplicationName(string? name) => new(
        nameof(InvalidApplicationName), ErrorKind.InvalidArgument,
        $"'{Shortened(name)}' is not a valid application name: use {NameRules.GitHubNameRule} (as in a GitHub repository name).", Shortened(name));

    public static GovukDeployException InvalidDeployName(string? deployName) => new(
        nameof(InvalidDeployName), ErrorKind.InvalidArgument,
        $"'{Shortened(deployName)}' is not a deploy name: give the name Jenkins' Deploy_App knows the application by (TARGET_APPLICATION), without spaces, at most {NameRules.MaxLength} characters.",
        Shortened(deployName));

    /// <summary>A free-form name (team, type, deploy name, tag pattern) longer than NameRules.MaxLength; <paramref name="what"/> says which.</summary>
    public static GovukDeployException NameTooLong(string what, string value) => new(
        nameof(NameTooLong), ErrorKind.InvalidArgument,
        $"The {what} '{NameRules.Shorten(value)}' is {value.Length} characters long. Give one of at most {NameRules.MaxLength} characters.",
        NameRules.Shorten(value));

    private static string? Shortened(string? value) => value is null ? null : NameRules.Shorten(value);

    public static GovukDeployException CatalogueNotFound(string path, Exception? inner = null) => new(
        nameof(CatalogueNotFound), ErrorKind.ObjectNotFound,
        $"The catalogue file '{path}' does not exist. Give the path of an applications.yml, repos.yml or JSON catalogue.", path, inner);

    public static GovukDeployException CatalogueUnreadable(string path, string why, Exception? inner = null) => new(
        nameof(CatalogueUnreadable), ErrorKind.ReadError,
        $"The catalogue file '{path}' cannot be read ({why}). Check its permissions.", path, inner);

    /// <summary>A catalogue file rejected whole, with every problem found; nothing was imported.</summary>
    public static CatalogueInvalidException CatalogueInvalid(string source, IReadOnlyList<CatalogueProblem> problems, Exception? inner = null) => new(
        nameof(CatalogueInvalid), ErrorKind.InvalidData, source, problems,
        $"{source} was not imported: it has {problems.Count} problem{(problems.Count == 1 ? "" : "s")}. Nothing was changed; fix {(problems.Count == 1 ? "it" : "them")} and import the file again."
        + Environment.NewLine
        + string.Join(Environment.NewLine, problems.Select(p => "  " + p)),
        inner);
}
