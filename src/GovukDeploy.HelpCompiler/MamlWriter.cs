using System.Xml.Linq;

namespace GovukDeploy.HelpCompiler;

/// <summary>Writes command pages as the MAML XML that Get-Help reads from en-US/&lt;assembly&gt;-Help.xml.</summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Write(IEnumerable<CommandPage> pages) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                pages.Select(CommandElement)));

    private static XElement CommandElement(CommandPage page)
    {
        var dash = page.Name.IndexOf('-');
        return new XElement(Command + "command",
            new XElement(Command + "details",
                new XElement(Command + "name", page.Name),
                new XElement(Command + "verb", page.Name[..dash]),
                new XElement(Command + "noun", page.Name[(dash + 1)..]),
                Description(page.Synopsis)),
            Description(page.Description.ToArray()),
            new XElement(Command + "syntax", SyntaxItems(page)),
            new XElement(Command + "parameters", page.Parameters.Select(ParameterElement)),
            new XElement(Command + "inputTypes", page.Inputs.Select(i => TypeEntry("inputType", i))),
            new XElement(Command + "returnValues", page.Outputs.Select(o => TypeEntry("returnValue", o))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", page.Notes.Select(Para))),
            new XElement(Command + "examples", page.Examples.Select((e, i) => new XElement(Command + "example",
                new XElement(Maml + "title", $"-------------------------- {e.Title} --------------------------"),
                new XElement(Dev + "code", string.Join("\n\n", e.Code)),
                new XElement(Dev + "remarks", e.Remarks.Select(Para))))),
            new XElement(Command + "relatedLinks", page.Links.Select(l => new XElement(Maml + "navigationLink",
                new XElement(Maml + "linkText", l.Text),
                new XElement(Maml + "uri", l.Uri)))));
    }

    /// <summary>One syntax line per parameter set; parameters in every set (All) appear in each.</summary>
    private static IEnumerable<XElement> SyntaxItems(CommandPage page)
    {
        var sets = page.Parameters.SelectMany(p => p.ParameterSets).Where(s => s != "(All)").Distinct().ToList();
        if (sets.Count == 0)
        {
            sets.Add("(All)");
        }

        foreach (var set in sets)
        {
            var members = page.Parameters
                .Where(p => p.ParameterSets.Contains("(All)") || p.ParameterSets.Contains(set))
                .OrderBy(p => int.TryParse(p.Position, out var position) ? position : int.MaxValue);
            yield return new XElement(Command + "syntaxItem",
                new XElement(Maml + "name", page.Name),
                members.Select(ParameterElement));
        }
    }

    private static XElement ParameterElement(ParameterSection parameter) =>
        new(Command + "parameter",
            new XAttribute("required", parameter.Required ? "true" : "false"),
            new XAttribute("variableLength", parameter.Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", parameter.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", parameter.PipelineInput),
            new XAttribute("position", parameter.Position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : parameter.Position),
            new XAttribute("aliases", string.IsNullOrWhiteSpace(parameter.Aliases) ? "none" : parameter.Aliases),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description.ToArray()),
            parameter.IsSwitch ? null : new XElement(Command + "parameterValue",
                new XAttribute("required", "true"), new XAttribute("variableLength", "false"), parameter.Type),
            new XElement(Dev + "type", new XElement(Maml + "name", parameter.Type), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", parameter.DefaultValue));

    private static XElement TypeEntry(string element, string text)
    {
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        var (name, description) = colon > 0 ? (text[..colon], text[(colon + 2)..]) : (text, "");
        return new XElement(Command + element,
            new XElement(Dev + "type", new XElement(Maml + "name", name), new XElement(Maml + "uri")),
            Description(description));
    }

    private static XElement Description(params string[] paragraphs) =>
        new(Maml + "description", paragraphs.Where(p => p.Length > 0).Select(Para));

    private static XElement Para(string text) => new(Maml + "para", text);
}
