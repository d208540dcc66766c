using System.Reflection;
using System.Text.RegularExpressions;
using GovukDeploy.Errors;

namespace GovukDeploy.Tests;

/// <summary>
/// Every error is built in ErrorCatalogue, one method per ErrorId with one ErrorKind, and every id is
/// documented for runbook authors under "Errors" in about_GovukDeploy.
/// </summary>
public partial class ErrorCatalogueTests
{
    private static readonly string Repository = FindRepository();

    [Fact]
    public void NoErrorIsBuiltOutsideTheCatalogue()
    {
        var errorsFolder = Path.Combine(Repository, "src", "GovukDeploy.Engine", "Errors") + Path.DirectorySeparatorChar;
        var offenders = new List<string>();
        foreach (var project in new[] { "GovukDeploy.Engine", "GovukDeploy" })
        {
            foreach (var file in SourceFiles(Path.Combine(Repository, "src", project)).Where(f => !f.StartsWith(errorsFolder, StringComparison.Ordinal)))
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    // A GovukDeployException built in place, or an ErrorKind chosen in place, is an error the catalogue does not know.
                    if (NewException().IsMatch(lines[i]) || KindChosen().IsMatch(lines[i]))
                    {
                        offenders.Add($"{Path.GetRelativePath(Repository, file)}:{i + 1}: {lines[i].Trim()}");
                    }
                }
            }
        }

        Assert.True(offenders.Count == 0, "Build these errors with ErrorCatalogue instead:" + Environment.NewLine + string.Join(Environment.NewLine, offenders));
    }

    [Fact]
    public void TheSourceScanFindsAnErrorBuiltInPlace()
    {
        // The scan above must be able to fail.
        Assert.Matches(NewException(), "throw new GovukDeployException(\"X\", ErrorKind.InvalidArgument, \"m\", null);");
        Assert.Matches(NewException(), "?? throw new Errors.GovukDeployException(\"X\",");
        Assert.Matches(KindChosen(), "private static GovukDeployException X() => new(\"X\", ErrorKind.InvalidData,");
        Assert.DoesNotMatch(NewException(), "throw ErrorCatalogue.StoreBusy(location, waited);");
    }

    [Fact]
    public void EachErrorIdIsOneMethodWithOneKind()
    {
        var kinds = CatalogueKinds();
        var problems = new List<string>();
        foreach (var group in CatalogueMethods().GroupBy(m => m.Name))
        {
            if (group.Count() > 1)
            {
                problems.Add($"{group.Key}: {group.Count()} overloads (one id, one message shape)");
            }

            if (!kinds.TryGetValue(group.Key, out var found) || found.Count != 1)
            {
                problems.Add($"{group.Key}: builds its error with {(found is null ? "no" : found.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} 'nameof({group.Key}), ErrorKind.X' (one is needed)");
            }
        }

        foreach (var id in kinds.Keys.Except(CatalogueIds(), StringComparer.Ordinal))
        {
            problems.Add($"{id}: named in the catalogue's source but no method of that name returns a GovukDeployException");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void AMethodBuildsTheErrorItIsNamedFor()
    {
        var error = ErrorCatalogue.UnknownEnvironment("qa", ["integration", "staging", "production"]);
        Assert.Equal(nameof(ErrorCatalogue.UnknownEnvironment), error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("qa", error.Target);
        Assert.Contains("integration, staging, production", error.Message);

        var restated = error.Restated("Environment variable X: " + error.Message, "X");
        Assert.Equal((error.ErrorId, error.Kind, "X"), (restated.ErrorId, restated.Kind, restated.Target));
        Assert.Same(error, restated.InnerException);
    }

    [Fact]
    public void EveryErrorIdIsDocumentedForRunbookAuthors()
    {
        var documented = DocumentedErrors();
        var kinds = CatalogueKinds();
        var ids = CatalogueIds().ToHashSet(StringComparer.Ordinal);

        var missing = ids.Where(id => !documented.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
        var extra = documented.Keys.Where(id => !ids.Contains(id)).Order(StringComparer.Ordinal).ToList();
        var wrongCategory = documented
            .Where(d => kinds.TryGetValue(d.Key, out var kind) && kind.Count == 1 && kind[0] != d.Value.Category)
            .Select(d => $"{d.Key} (documented {d.Value.Category}, raised as {kinds[d.Key][0]})").ToList();
        var unexplained = documented.Where(d => d.Value.Text.Length < 20).Select(d => d.Key).ToList();

        var report = new List<string>();
        if (missing.Count > 0)
        {
            report.Add("Not documented under 'Errors' in docs/about_GovukDeploy.md: " + string.Join(", ", missing));
        }
        if (extra.Count > 0)
        {
            report.Add("Documented, but not in ErrorCatalogue: " + string.Join(", ", extra));
        }
        if (wrongCategory.Count > 0)
        {
            report.Add("Documented with the wrong ErrorCategory: " + string.Join(", ", wrongCategory));
        }
        if (unexplained.Count > 0)
        {
            report.Add("Documented without saying when it happens and what to do: " + string.Join(", ", unexplained));
        }

        Assert.True(report.Count == 0, string.Join(Environment.NewLine, report));
    }

    [Fact]
    public void TheErrorsSectionIsReadAsOneEntryPerId()
    {
        var section = """
            ## Errors
            Intro.

            ### Deploys
            - `DeployFailed` (InvalidResult): the Jenkins build failed; read its console.
            - `DeployTimeout` (OperationTimeout): the wait ran out; follow it with Wait-Deployment.

            ## Next
            - `NotAnError` (InvalidData): outside the section.
            """;
        var entries = ParseErrors(section);
        Assert.Equal(["DeployFailed", "DeployTimeout"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("OperationTimeout", entries["DeployTimeout"].Category);
    }

    private static IEnumerable<MethodInfo> CatalogueMethods() =>
        typeof(ErrorCatalogue).GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => typeof(GovukDeployException).IsAssignableFrom(m.ReturnType) && !m.IsSpecialName && !m.Name.StartsWith('<'));

    private static IEnumerable<string> CatalogueIds() => CatalogueMethods().Select(m => m.Name).Distinct(StringComparer.Ordinal);

    /// <summary>For each id, the kinds its method names in the catalogue's source: exactly one is expected.</summary>
    private static Dictionary<string, List<string>> CatalogueKinds()
    {
        var folder = Path.Combine(Repository, "src", "GovukDeploy.Engine", "Errors");
        return Directory.GetFiles(folder, "ErrorCatalogue*.cs")
            .SelectMany(f => IdAndKind().Matches(File.ReadAllText(f)))
            .GroupBy(m => m.Groups["id"].Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(m => m.Groups["kind"].Value).ToList(), StringComparer.Ordinal);
    }

    private static Dictionary<string, (string Category, string Text)> DocumentedErrors() =>
        ParseErrors(File.ReadAllText(Path.Combine(Repository, "docs", "about_GovukDeploy.md")));

    /// <summary>The entries of the "## Errors" section: "- `Id` (Category): when it happens, and what to do."</summary>
    private static Dictionary<string, (string Category, string Text)> ParseErrors(string markdown)
    {
        var entries = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        var inSection = false;
        foreach (var line in markdown.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inSection = line.Trim() == "## Errors";
                continue;
            }

            if (inSection && Entry().Match(line) is { Success: true } entry)
            {
                Assert.False(entries.ContainsKey(entry.Groups["id"].Value), $"{entry.Groups["id"].Value} is documented twice");
                entries[entry.Groups["id"].Value] = (entry.Groups["category"].Value, entry.Groups["text"].Value.Trim());
            }
        }

        Assert.True(entries.Count > 0, "No '## Errors' section with entries such as \"- `DeployFailed` (InvalidResult): ...\" was found.");
        return entries;
    }

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No repository (a folder with Directory.Packages.props) above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"\bnew\s+(?:[A-Za-z_][\w.]*\.)?GovukDeployException\s*\(")]
    private static partial Regex NewException();

    [GeneratedRegex(@"\bErrorKind\.[A-Z]\w*")]
    private static partial Regex KindChosen();

    [GeneratedRegex(@"nameof\((?<id>\w+)\),\s*ErrorKind\.(?<kind>\w+)")]
    private static partial Regex IdAndKind();

    [GeneratedRegex(@"^\s*[-*]\s+`(?<id>[A-Za-z]\w*)`\s+\((?<category>[A-Za-z]+)\):\s*(?<text>.*)$")]
    private static partial Regex Entry();
}
