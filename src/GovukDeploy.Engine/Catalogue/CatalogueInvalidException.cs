using GovukDeploy.Errors;

namespace GovukDeploy.Catalogue;

/// <summary>CatalogueInvalid (made by ErrorCatalogue): a catalogue file rejected whole, every problem found, each with its line. Nothing was imported.</summary>
public sealed class CatalogueInvalidException : GovukDeployException
{
    internal CatalogueInvalidException(string errorId, ErrorKind kind, string source, IReadOnlyList<CatalogueProblem> problems, string message, Exception? inner)
        : base(errorId, kind, message, source, inner)
    {
        CataloguePath = source;
        Problems = problems;
    }

    /// <summary>The file (or source name) that was rejected.</summary>
    public string CataloguePath { get; }
    public IReadOnlyList<CatalogueProblem> Problems { get; }
}
