using GovukDeploy.Errors;

namespace GovukDeploy.Catalogue;

/// <summary>A catalogue file rejected whole: every problem found, each with its line. Nothing was imported.</summary>
public sealed class CatalogueInvalidException : GovukDeployException
{
    public CatalogueInvalidException(string source, IReadOnlyList<CatalogueProblem> problems, Exception? inner = null)
        : base("CatalogueInvalid", ErrorKind.InvalidData, Describe(source, problems), source, inner)
    {
        CataloguePath = source;
        Problems = problems;
    }

    /// <summary>The file (or source name) that was rejected.</summary>
    public string CataloguePath { get; }
    public IReadOnlyList<CatalogueProblem> Problems { get; }

    private static string Describe(string source, IReadOnlyList<CatalogueProblem> problems) =>
        $"{source} was not imported: it has {problems.Count} problem{(problems.Count == 1 ? "" : "s")}. Nothing was changed; fix {(problems.Count == 1 ? "it" : "them")} and import the file again."
        + Environment.NewLine
        + string.Join(Environment.NewLine, problems.Select(p => "  " + p));
}
