namespace GovukDeploy.HelpCompiler;

/// <summary>One cmdlet's help page, as read from its markdown.</summary>
internal sealed class CommandPage
{
    public required string Name { get; init; }
    public string Synopsis { get; set; } = "";
    public List<string> Description { get; } = [];
    public List<ExampleSection> Examples { get; } = [];
    public List<ParameterSection> Parameters { get; } = [];
    public List<string> Inputs { get; } = [];
    public List<string> Outputs { get; } = [];
    public List<string> Notes { get; } = [];
    public List<(string Text, string Uri)> Links { get; } = [];
}

internal sealed class ExampleSection
{
    public required string Title { get; init; }
    public List<string> Code { get; } = [];
    public List<string> Remarks { get; } = [];
}

internal sealed class ParameterSection
{
    public required string Name { get; init; }
    public List<string> Description { get; } = [];
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string Type => Metadata.GetValueOrDefault("Type", "Object");
    public bool Required => Metadata.GetValueOrDefault("Required", "False").StartsWith("True", StringComparison.OrdinalIgnoreCase);
    public string Position => Metadata.GetValueOrDefault("Position", "Named");
    public string PipelineInput => Metadata.GetValueOrDefault("Accept pipeline input", "False");
    public bool Globbing => Metadata.GetValueOrDefault("Accept wildcard characters", "False").StartsWith("True", StringComparison.OrdinalIgnoreCase);
    public string DefaultValue => Metadata.GetValueOrDefault("Default value", "None");
    public string Aliases => Metadata.GetValueOrDefault("Aliases", "");
    public bool IsSwitch => Type.Equals("SwitchParameter", StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<string> ParameterSets => Metadata.GetValueOrDefault("Parameter Sets", "(All)")
        .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
