using System.Text;

namespace GovukDeploy.Store;

/// <summary>Application names and the wildcard patterns (* and ?) that select them, matched ignoring case.</summary>
public static class NamePattern
{
    public static bool HasWildcards(string pattern) => pattern.IndexOfAny(['*', '?']) >= 0;

    /// <summary>The key a name is stored and compared under: names are unique ignoring case.</summary>
    public static string Key(string name) => name.Trim().ToLowerInvariant();

    /// <summary>Turns a pattern into a SQL LIKE pattern over keys, escaped with a backslash.</summary>
    public static string ToLike(string pattern)
    {
        var like = new StringBuilder(pattern.Length + 4);
        foreach (var c in Key(pattern))
        {
            switch (c)
            {
                case '*': like.Append('%'); break;
                case '?': like.Append('_'); break;
                case '%' or '_' or '\\': like.Append('\\').Append(c); break;
                default: like.Append(c); break;
            }
        }
        return like.ToString();
    }

    /// <summary>Whether a name matches a pattern, ignoring case (the in-memory twin of ToLike).</summary>
    public static bool IsMatch(string name, string pattern)
    {
        var regex = "^" + System.Text.RegularExpressions.Regex.Escape(Key(pattern)).Replace("\\*", ".*").Replace("\\?", ".") + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(Key(name), regex, System.Text.RegularExpressions.RegexOptions.Singleline);
    }
}
