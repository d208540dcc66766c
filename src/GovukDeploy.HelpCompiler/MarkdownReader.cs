using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace GovukDeploy.HelpCompiler;

/// <summary>
/// Reads a platyPS-style page: '# Name', then '## SYNOPSIS', '## DESCRIPTION',
/// '## EXAMPLES' ('### Example N: title', a code block, remarks), '## PARAMETERS'
/// ('### -Name', a description, a yaml block of metadata), '## INPUTS', '## OUTPUTS',
/// '## NOTES' and '## RELATED LINKS'.
/// </summary>
internal static class MarkdownReader
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    public static CommandPage Read(string path)
    {
        var document = Markdown.Parse(File.ReadAllText(path), Pipeline);
        CommandPage? page = null;
        string section = "";
        ExampleSection? example = null;
        ParameterSection? parameter = null;
        string? subheading = null;

        foreach (var block in document)
        {
            switch (block)
            {
                case HeadingBlock { Level: 1 } h1:
                    page = new CommandPage { Name = InlineText(h1.Inline).Trim() };
                    break;
                case HeadingBlock { Level: 2 } h2:
                    section = InlineText(h2.Inline).Trim().ToUpperInvariant();
                    example = null;
                    parameter = null;
                    subheading = null;
                    break;
                case HeadingBlock { Level: 3 } h3 when page is not null:
                    var title = InlineText(h3.Inline).Trim();
                    subheading = title;
                    if (section == "EXAMPLES")
                    {
                        example = new ExampleSection { Title = title };
                        page.Examples.Add(example);
                    }
                    else if (section == "PARAMETERS" && title.StartsWith('-'))
                    {
                        parameter = new ParameterSection { Name = title.TrimStart('-') };
                        page.Parameters.Add(parameter);
                    }
                    else
                    {
                        parameter = null;
                    }

                    break;
                case FencedCodeBlock code when page is not null:
                    var text = string.Join('\n', code.Lines.Lines.Take(code.Lines.Count).Select(l => l.ToString()));
                    if (example is not null)
                    {
                        example.Code.Add(text);
                    }
                    else if (parameter is not null && (code.Info ?? "").Equals("yaml", StringComparison.OrdinalIgnoreCase))
                    {
                        foreach (var line in text.Split('\n'))
                        {
                            var colon = line.IndexOf(':');
                            if (colon > 0)
                            {
                                parameter.Metadata[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                            }
                        }
                    }

                    break;
                case ParagraphBlock paragraph when page is not null:
                    AddParagraph(page, section, subheading, example, parameter, InlineText(paragraph.Inline).Trim());
                    break;
                case ListBlock list when page is not null:
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var itemText = string.Join(" ", item.OfType<ParagraphBlock>().Select(p => InlineText(p.Inline).Trim()));
                        if (section == "RELATED LINKS")
                        {
                            AddLink(page, item);
                        }
                        else
                        {
                            AddParagraph(page, section, subheading, example, parameter, "- " + itemText);
                        }
                    }

                    break;
            }
        }

        return page ?? throw new InvalidDataException($"{path}: no '# Command-Name' heading.");
    }

    private static void AddParagraph(CommandPage page, string section, string? subheading, ExampleSection? example, ParameterSection? parameter, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        switch (section)
        {
            case "SYNOPSIS":
                page.Synopsis = string.IsNullOrEmpty(page.Synopsis) ? text : page.Synopsis + " " + text;
                break;
            case "DESCRIPTION":
                page.Description.Add(text);
                break;
            case "EXAMPLES":
                example?.Remarks.Add(text);
                break;
            case "PARAMETERS":
                parameter?.Description.Add(text);
                break;
            case "INPUTS":
                page.Inputs.Add(subheading is null ? text : $"{subheading}: {text}");
                break;
            case "OUTPUTS":
                page.Outputs.Add(subheading is null ? text : $"{subheading}: {text}");
                break;
            case "NOTES":
                page.Notes.Add(text);
                break;
            case "RELATED LINKS":
                page.Links.Add((text, ""));
                break;
        }
    }

    private static void AddLink(CommandPage page, ListItemBlock item)
    {
        foreach (var link in item.Descendants<LinkInline>())
        {
            var url = link.Url ?? "";
            // Links between our own pages become plain names, which Get-Help resolves offline.
            page.Links.Add((InlineText(link).Trim(), url.EndsWith(".md", StringComparison.OrdinalIgnoreCase) ? "" : url));
        }
    }

    private static string InlineText(ContainerInline? container)
    {
        if (container is null)
        {
            return "";
        }

        var builder = new System.Text.StringBuilder();
        foreach (var inline in container)
        {
            builder.Append(inline switch
            {
                LiteralInline literal => literal.Content.ToString(),
                CodeInline code => code.Content,
                LineBreakInline => " ",
                ContainerInline nested => InlineText(nested),
                _ => "",
            });
        }

        return builder.ToString();
    }
}
