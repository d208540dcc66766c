namespace GovukDeploy.Catalogue;

/// <summary>The known names nearest to a mistyped one, for "did you mean" hints.</summary>
public static class NameSuggestions
{
    public static IReadOnlyList<string> For(string wanted, IEnumerable<string> known, int max = 3)
    {
        var target = wanted.Trim().ToLowerInvariant();
        // Allow about one slip per four characters, and at least two.
        var limit = Math.Max(2, target.Length / 4);
        return known
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(name => (name, distance: Distance(target, name.ToLowerInvariant())))
            .Where(c => c.distance <= limit
                || (target.Length >= 3 && c.name.Contains(target, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(c => c.distance)
            .ThenBy(c => c.name, StringComparer.OrdinalIgnoreCase)
            .Take(max)
            .Select(c => c.name)
            .ToList();
    }

    /// <summary>Levenshtein distance with adjacent transpositions counted as one edit.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
