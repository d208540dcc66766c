using System.Text;
using System.Text.RegularExpressions;
using GovukDeploy.Errors;

namespace GovukDeploy.Store;

/// <summary>
/// Application names and the wildcard patterns that select them, matched ignoring case, in
/// PowerShell's own pattern language (as WildcardPattern reads it): * any run of characters,
/// ? one character, [abc] and [a-c] one of a set, and ` (backtick) taking the next character
/// literally. The engine knows nothing of PowerShell, so the language is read here.
/// </summary>
public static class NamePattern
{
    /// <summary>Whether the text holds a wildcard character that is not escaped (WildcardPattern.ContainsWildcardCharacters).</summary>
    public static bool HasWildcards(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '*' or '?' or '[' or ']':
                    return true;
                case '`':
                    i++;
                    break;
            }
        }
        return false;
    }

    /// <summary>The key a name is stored and compared under: names are unique ignoring case.</summary>
    public static string Key(string name) => name.Trim().ToLowerInvariant();

    /// <summary>
    /// Turns a pattern into a SQL LIKE pattern over keys, escaped with a backslash. A set ([abc]) becomes
    /// one any-character (_), so the LIKE selects a superset; <see cref="IsMatch"/> decides.
    /// </summary>
    public static string ToLike(string pattern)
    {
        var like = new StringBuilder(pattern.Length + 4);
        foreach (var token in Tokens(Key(pattern)))
        {
            switch (token)
            {
                case { Kind: TokenKind.Any }: like.Append('%'); break;
                case { Kind: TokenKind.One or TokenKind.Set }: like.Append('_'); break;
                case { Literal: '%' or '_' or '\\' }: like.Append('\\').Append(token.Literal); break;
                default: like.Append(token.Literal); break;
            }
        }
        return like.ToString();
    }

    /// <summary>Whether a name matches a pattern, ignoring case. An invalid pattern is InvalidWildcardPattern.</summary>
    public static bool IsMatch(string name, string pattern) => ToRegex(pattern).IsMatch(Key(name));

    /// <summary>Refuses a pattern PowerShell could not read either (such as 'whitehal[', a set never closed).</summary>
    public static void Validate(string pattern) => _ = ToRegex(pattern);

    /// <summary>
    /// One application name: refuses a wildcard with WildcardNotSupported, for the parameters that
    /// act on a single application (Invoke-Deploy, Get-UndeployedChange, ...).
    /// </summary>
    public static string RequireSingleName(string name, string parameter = "-Application")
    {
        if (HasWildcards(name))
        {
            throw ErrorCatalogue.WildcardNotSupported(name, parameter);
        }
        return name;
    }

    private static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        foreach (var token in Tokens(Key(pattern), pattern))
        {
            regex.Append(token.Kind switch
            {
                TokenKind.Any => ".*",
                TokenKind.One => ".",
                TokenKind.Set => token.Set,
                _ => Regex.Escape(token.Literal.ToString()),
            });
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    private enum TokenKind { Literal, Any, One, Set }

    private readonly record struct Token(TokenKind Kind, char Literal = default, string? Set = null);

    private static IEnumerable<Token> Tokens(string key, string? original = null)
    {
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            switch (c)
            {
                case '*':
                    yield return new Token(TokenKind.Any);
                    break;
                case '?':
                    yield return new Token(TokenKind.One);
                    break;
                case '`' when i + 1 < key.Length:
                    yield return new Token(TokenKind.Literal, key[++i]);
                    break;
                case '[':
                    var (set, end) = ReadSet(key, i, original ?? key);
                    yield return new Token(TokenKind.Set, Set: set);
                    i = end;
                    break;
                default:
                    yield return new Token(TokenKind.Literal, c);
                    break;
            }
        }
    }

    /// <summary>Reads "[...]" starting at <paramref name="start"/> into a regex class; returns it and the index of the "]".</summary>
    private static (string Set, int End) ReadSet(string key, int start, string original)
    {
        var set = new StringBuilder("[");
        for (var i = start + 1; i < key.Length; i++)
        {
            var c = key[i];
            if (c == ']' && set.Length > 1)
            {
                return (set.Append(']').ToString(), i);
            }
            if (c == '`' && i + 1 < key.Length)
            {
                c = key[++i];
            }
            else if (c == '-' && set.Length > 1 && i + 1 < key.Length && key[i + 1] != ']')
            {
                set.Append('-');
                continue;
            }
            set.Append(c is '\\' or '^' or '[' or ']' or '-' ? "\\" + c : c.ToString());
        }
        throw ErrorCatalogue.InvalidWildcardPattern(original);
    }
}
