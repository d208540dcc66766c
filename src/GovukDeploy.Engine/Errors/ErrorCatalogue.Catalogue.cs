using GovukDeploy.Catalogue;

namespace GovukDeploy.Errors;

/// <summary>The application catalogue: names, repositories and catalogue files.</summary>
public static partial class ErrorCatalogue
{
    public static GovukDeployException InvalidApplicationName(string? name) => new(
        nameof(InvalidApplicationName), ErrorKind.InvalidArgument,
        $"'{name}' is not a valid application name: use letters, digits, '.', '-' and '_' (as in a GitHub repository name).", name);

    public static GovukDeployException InvalidDeployName(string? deployName) => new(
        nameof(InvalidDeployName), ErrorKind.InvalidArgument,
        $"'{deployName}' is not a deploy name: give the name Jenkins' Deploy_App knows the application by (TARGET_APPLICATION), without spaces.", deployName);

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
