using System.Text.RegularExpressions;
using GovukDeploy.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GovukDeploy.Catalogue;

/// <summary>
/// Reads GOV.UK's application catalogue: the developer docs' applications.yml (entries keyed
/// by github_repo_name, with puppet_name as the deploy name where it differs) and its
/// successor repos.yml (keyed by repo_name, with app_name where one repository holds several
/// apps), as YAML or as JSON of the same shape. Fields it does not use are ignored. A file
/// with any invalid entry is rejected whole, listing every problem with its line.
/// </summary>
public static partial class CatalogueParser
{
    public const string DefaultOrganisation = "alphagov";

    /// <summary>The largest catalogue file read: GOV.UK's applications.yml is well under a megabyte.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    /// <summary>
    /// The deepest nesting of lists and mappings read. A catalogue is a list of entries of plain fields (two
    /// or three levels); deeper nesting is refused before the YAML is built into nodes, which recurse as
    /// deep as the text nests and would overflow the stack, killing the shell, for a file of '[' * 50000.
    /// </summary>
    public const int MaxDepth = 16;

    public static IReadOnlyList<CatalogueEntry> ParseFile(string path, string? organisation = null)
    {
        string text;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxBytes)
            {
                throw ErrorCatalogue.CatalogueInvalid(path, [new CatalogueProblem(0, $"the file is {length / (1024 * 1024)} MB; a catalogue is at most {MaxBytes / (1024 * 1024)} MB")]);
            }
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw ErrorCatalogue.CatalogueNotFound(path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ErrorCatalogue.CatalogueUnreadable(path, e.Message, e);
        }
        return Parse(text, path, organisation);
    }

    /// <param name="source">The file's name, for messages.</param>
    /// <param name="organisation">The GitHub owner of repositories the file names without a repo_url.</param>
    public static IReadOnlyList<CatalogueEntry> Parse(string text, string source, string? organisation = null)
    {
        organisation = string.IsNullOrWhiteSpace(organisation) ? DefaultOrganisation : organisation.Trim();
        if (!NameRules.IsGitHubName(organisation))
        {
            throw ErrorCatalogue.InvalidOrganisation(organisation);
        }
        if (text.Length > MaxBytes)
        {
            throw ErrorCatalogue.CatalogueInvalid(source, [new CatalogueProblem(0, $"the text is {text.Length} characters; a catalogue is at most {MaxBytes / (1024 * 1024)} MB")]);
        }
        var stream = new YamlStream();
        try
        {
            RefuseDeepNesting(text, source);
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var line = (int)Math.Max(1, e.Start.Line);
            throw ErrorCatalogue.CatalogueInvalid(source, [new CatalogueProblem(line, $"not valid YAML or JSON: {Unwrap(e)}")], e);
        }

        var problems = new List<CatalogueProblem>();
        var entries = new List<CatalogueEntry>();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            throw ErrorCatalogue.CatalogueInvalid(source, [new CatalogueProblem(0, "the file holds no catalogue entries")]);
        }
        if (stream.Documents.Count > 1)
        {
            problems.Add(new CatalogueProblem(Line(stream.Documents[1].RootNode), "a catalogue is one YAML document; this file holds several"));
        }
        var list = EntryList(stream.Documents[0].RootNode);
        if (list is null)
        {
            var root = stream.Documents[0].RootNode;
            throw ErrorCatalogue.CatalogueInvalid(source, [new CatalogueProblem(Line(root), "expected a list of applications (entries with github_repo_name or repo_name)")]);
        }

        var firstLineOf = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in list.Children)
        {
            var line = Line(node);
            if (node is not YamlMappingNode entry)
            {
                problems.Add(new CatalogueProblem(line, "an entry must be a set of fields (github_repo_name: ..., type: ..., team: ...)"));
                continue;
            }
            var entryProblems = new List<string>();
            string? Field(string key)
            {
                if (!entry.Children.TryGetValue(new YamlScalarNode(key), out var value))
                {
                    return null;
                }
                if (value is YamlScalarNode scalar)
                {
                    return IsNull(scalar) ? null : scalar.Value!.Trim();
                }
                entryProblems.Add($"'{key}' must be a single value");
                return null;
            }

            var repoName = Field("repo_name") ?? Field("github_repo_name");
            var appName = Field("app_name");
            var puppetName = Field("puppet_name");
            var repoUrl = Field("repo_url");
            var retiredText = Field("retired");
            var team = Field("team");
            var type = Field("type");
            var tagPattern = Field("release_tag_pattern");

            if (string.IsNullOrEmpty(repoName))
            {
                entryProblems.Add("no repository name: give github_repo_name (applications.yml) or repo_name (repos.yml)");
            }
            else if (!NameRules.IsGitHubName(repoName))
            {
                entryProblems.Add($"'{NameRules.Shorten(repoName)}' is not a GitHub repository name ({NameRules.GitHubNameRule})");
            }
            if (appName is not null && !NameRules.IsGitHubName(appName))
            {
                entryProblems.Add($"app_name '{NameRules.Shorten(appName)}' may hold only {NameRules.GitHubNameRule}");
            }
            foreach (var (key, value) in new[] { ("puppet_name", puppetName), ("team", team), ("type", type), ("release_tag_pattern", tagPattern) })
            {
                if (value is not null && (value.Length > NameRules.MaxLength || value.Any(char.IsControl)))
                {
                    entryProblems.Add($"{key} '{TerminalText.Visible(NameRules.Shorten(value))}' must be one line of at most {NameRules.MaxLength} characters");
                }
            }
            if (puppetName is not null && puppetName.Any(char.IsWhiteSpace))
            {
                entryProblems.Add($"puppet_name '{puppetName}' may not hold spaces");
            }
            var retired = false;
            if (retiredText is not null && !TryParseBool(retiredText, out retired))
            {
                entryProblems.Add($"retired must be true or false, not '{retiredText}'");
            }

            var name = appName ?? repoName;
            if (!string.IsNullOrEmpty(name))
            {
                if (firstLineOf.TryGetValue(name, out var firstLine))
                {
                    entryProblems.Add($"duplicate name '{name}': already defined at line {firstLine}");
                }
                else
                {
                    firstLineOf[name] = line;
                }
            }

            if (entryProblems.Count > 0)
            {
                problems.AddRange(entryProblems.Select(p => new CatalogueProblem(line, p)));
                continue;
            }

            entries.Add(new CatalogueEntry(new Application
            {
                Name = name!,
                Repository = GitHubRepository(repoUrl) ?? $"{organisation}/{repoName}",
                DeployName = puppetName ?? appName ?? repoName!,
                Team = team,
                Type = type,
                Retired = retired,
                ReleaseTagPattern = tagPattern ?? "release_*",
            }, line));
        }

        if (problems.Count > 0)
        {
            throw ErrorCatalogue.CatalogueInvalid(source, problems.OrderBy(p => p.Line).ToList());
        }
        return entries;
    }

    /// <summary>Reads the YAML as a stream of events (which does not recurse) and refuses nesting deeper than <see cref="MaxDepth"/>.</summary>
    private static void RefuseDeepNesting(string text, string source)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.SequenceStart or YamlDotNet.Core.Events.MappingStart:
                    if (++depth > MaxDepth)
                    {
                        var line = (int)Math.Max(1, parser.Current.Start.Line);
                        throw ErrorCatalogue.CatalogueInvalid(source, [new CatalogueProblem(line,
                            $"lists and fields nest more than {MaxDepth} levels deep; a catalogue is a list of entries of plain fields")]);
                    }
                    break;
                case YamlDotNet.Core.Events.SequenceEnd or YamlDotNet.Core.Events.MappingEnd:
                    depth--;
                    break;
            }
        }
    }

    /// <summary>The entries: the root list itself, or the one list under a root key (e.g. {"repos": [...]}).</summary>
    private static YamlSequenceNode? EntryList(YamlNode root) => root switch
    {
        YamlSequenceNode sequence => sequence,
        YamlMappingNode mapping when mapping.Children.Count == 1 && mapping.Children.Single().Value is YamlSequenceNode inner => inner,
        _ => null,
    };

    private static int Line(YamlNode node) => (int)Math.Max(1, node.Start.Line);

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Value is null
        || (scalar.Style is ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL");

    private static bool TryParseBool(string text, out bool value)
    {
        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "on":
                value = true;
                return true;
            case "false" or "no" or "off":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>owner/name from a GitHub repository URL; null for anything else.</summary>
    private static string? GitHubRepository(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || !uri.Host.Equals("github.com", StringComparison.OrdinalIgnoreCase) && !uri.Host.Equals("www.github.com", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var parts = uri.AbsolutePath.Trim('/').Split('/');
        if (parts.Length < 2 || !NameRules.IsGitHubName(parts[0]) || parts[1].Length == 0)
        {
            return null;
        }
        var repository = parts[1].EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? parts[1][..^4] : parts[1];
        return NameRules.IsGitHubName(repository) ? $"{parts[0]}/{repository}" : null;
    }

    private static string Unwrap(YamlException e)
    {
        // YamlDotNet wraps the useful message ("While scanning ... found ...") in a generic one.
        var message = e.InnerException is YamlException inner ? inner.Message : e.Message;
        return RegexPosition().Replace(message, "").Trim();
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]+$")]
    internal static partial Regex ValidName();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex RegexPosition();
}
