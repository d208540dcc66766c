namespace GovukDeploy.Catalogue;

/// <summary>Something wrong with a catalogue file, at a line (1-based; 0 when the whole file is at fault).</summary>
public sealed record CatalogueProblem(int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"line {Line}: {Message}" : Message;
}
