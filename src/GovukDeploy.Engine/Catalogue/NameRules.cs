using GovukDeploy.Errors;

namespace GovukDeploy.Catalogue;

/// <summary>
/// What a name in the catalogue may be, wherever it comes from (New-/Set-Application, a catalogue file, the
/// configuration): GitHub's rules for repository owners and names (letters, digits, '-', '_' and '.', never
/// '.' or '..', at most 100 characters), and a bound on every other name, so that no name can walk a URL
/// path or cost memory out of proportion.
/// </summary>
public static class NameRules
{
    /// <summary>The longest name: GitHub's limit for a repository name, and far more than any GOV.UK name needs.</summary>
    public const int MaxLength = 100;

    /// <summary>A GitHub repository owner or name: GitHub's characters, not "." or "..", bounded.</summary>
    public static bool IsGitHubName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxLength && name is not "." and not ".." && CatalogueParser.ValidName().IsMatch(name);

    /// <summary>owner/name, both parts GitHub names.</summary>
    public static bool IsRepository(string? repository)
    {
        var parts = repository?.Split('/');
        return parts is { Length: 2 } && parts.All(IsGitHubName);
    }

    /// <summary>The reason a GitHub name is refused, for messages.</summary>
    public const string GitHubNameRule = "letters, digits, '.', '-' and '_' only, not '.' or '..', at most 100 characters";

    public static string ValidateRepository(string repository)
    {
        var trimmed = repository.Trim();
        if (!IsRepository(trimmed))
        {
            throw ErrorCatalogue.InvalidRepository(repository);
        }
        return trimmed;
    }

    /// <summary>Refuses a free-form name (team, type, deploy name, tag pattern) longer than <see cref="MaxLength"/>.</summary>
    public static string? Bounded(string? value, string what)
    {
        if (value is not null && value.Length > MaxLength)
        {
            throw ErrorCatalogue.NameTooLong(what, value);
        }
        return value;
    }

    /// <summary>A long value as shown in a message or target: its start, with its length.</summary>
    public static string Shorten(string value) => value.Length <= MaxLength ? value : $"{value[..MaxLength]}… ({value.Length} characters)";
}
