namespace GovukDeploy.Catalogue;

/// <summary>One application read from a catalogue file, with the line its entry starts on.</summary>
public sealed record CatalogueEntry(Application Application, int Line);
