using GovukDeploy.HelpCompiler;

// Usage: GovukDeploy.HelpCompiler <docs folder> <output en-US folder> <assembly file name>
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: GovukDeploy.HelpCompiler <docs> <out/en-US> <GovukDeploy.dll>");
    return 2;
}

var (docs, output, assembly) = (args[0], args[1], args[2]);
Directory.CreateDirectory(output);
var pages = new List<CommandPage>();
var problems = new List<string>();
foreach (var path in Directory.GetFiles(docs, "*.md").Order(StringComparer.Ordinal))
{
    var name = Path.GetFileNameWithoutExtension(path);
    if (name.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
    {
        File.WriteAllText(Path.Combine(output, name + ".help.txt"), AboutTopicWriter.Write(File.ReadAllText(path)));
        continue;
    }

    var page = MarkdownReader.Read(path);
    if (!string.Equals(page.Name, name, StringComparison.Ordinal))
    {
        problems.Add($"{path}: the heading '# {page.Name}' does not match the file name.");
    }

    if (string.IsNullOrWhiteSpace(page.Synopsis) || page.Description.Count == 0 || page.Examples.Count == 0)
    {
        problems.Add($"{path}: a page needs a SYNOPSIS, a DESCRIPTION and at least one example.");
    }

    pages.Add(page);
}

if (problems.Count > 0)
{
    problems.ForEach(Console.Error.WriteLine);
    return 1;
}

MamlWriter.Write(pages).Save(Path.Combine(output, assembly + "-Help.xml"));
Console.WriteLine($"Help: {pages.Count} command page(s) compiled to {Path.Combine(output, assembly + "-Help.xml")}");
return 0;
