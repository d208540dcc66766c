namespace GovukDeploy.Catalogue;

/// <summary>What an import did: counts, and the applications as the file gave them (for -PassThru).</summary>
public sealed record CatalogueImportResult(int Added, int Changed, int Unchanged, IReadOnlyList<Application> Applications);
