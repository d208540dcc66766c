using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GovukDeploy.Sandbox.Sentry;

/// <summary>
/// The part of Sentry's issue search the sandbox understands: is:unresolved|resolved|ignored|regressed|new|ongoing,
/// firstSeen: and lastSeen: (with &gt;, &gt;=, &lt;, &lt;= and an ISO 8601 time, or a relative -24h), level:error,
/// level:[error,fatal], !level:..., and free text matched against the title. Anything else is refused, so
/// that a client never takes an ignored term for a filter.
/// </summary>
public sealed partial class SentryQuery
{
    private static readonly string[] Levels = ["debug", "info", "warning", "error", "fatal"];
    private readonly List<Func<SentryIssue, bool>> _conditions = [];

    private SentryQuery()
    {
    }

    /// <summary>Parses a query; FormatException with a message fit for the caller when it cannot.</summary>
    public static SentryQuery Parse(string? text, DateTimeOffset now)
    {
        var query = new SentryQuery();
        foreach (var token in Tokens(text ?? ""))
        {
            query._conditions.Add(Condition(token, now));
        }

        return query;
    }

    public bool Matches(SentryIssue issue) => _conditions.All(c => c(issue));

    private static Func<SentryIssue, bool> Condition(string token, DateTimeOffset now)
    {
        var negated = token.StartsWith('!');
        var body = negated ? token[1..] : token;
        var colon = body.IndexOf(':');
        if (colon <= 0 || body.StartsWith('"'))
        {
            // Free text: a CONTAINS match on the title.
            var words = body.Trim('"');
            return i => i.Title.Contains(words, StringComparison.OrdinalIgnoreCase) != negated;
        }

        var key = body[..colon];
        var value = body[(colon + 1)..];
        Func<SentryIssue, bool> condition = key.ToLowerInvariant() switch
        {
            "is" => Is(value),
            "level" => Level(value),
            "firstseen" or "age" => Time(key, value, now, i => i.FirstSeen),
            "lastseen" => Time(key, value, now, i => i.LastSeen),
            _ => throw new FormatException($"Error parsing search query: the sandbox's Sentry does not support '{key}:'. It supports is:, level:, firstSeen:, lastSeen: and free text."),
        };
        return negated ? i => !condition(i) : condition;
    }

    private static Func<SentryIssue, bool> Is(string value) => value.ToLowerInvariant() switch
    {
        "unresolved" => i => i.Status == "unresolved",
        "resolved" => i => i.Status == "resolved",
        "ignored" or "archived" or "muted" => i => i.Status == "ignored",
        "regressed" or "new" or "ongoing" or "escalating" => i => i.Status == "unresolved" && i.Substatus == value.ToLowerInvariant(),
        "unassigned" => _ => true,
        "assigned" or "bookmarked" => _ => false,
        _ => throw new FormatException($"Error parsing search query: invalid value '{value}' for 'is:' search."),
    };

    private static Func<SentryIssue, bool> Level(string value)
    {
        var levels = value.StartsWith('[') && value.EndsWith(']')
            ? value[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [value];
        if (levels.Length == 0 || levels.Any(l => !Levels.Contains(l.ToLowerInvariant())))
        {
            throw new FormatException($"Error parsing search query: invalid level '{value}'; use one of {string.Join(", ", Levels)}.");
        }

        var wanted = levels.Select(l => l.ToLowerInvariant()).ToHashSet();
        return i => wanted.Contains(i.Level);
    }

    private static Func<SentryIssue, bool> Time(string key, string value, DateTimeOffset now, Func<SentryIssue, DateTimeOffset> of)
    {
        var relative = RelativePattern().Match(value);
        if (relative.Success)
        {
            // -24h: within the last 24 hours; +24h: longer ago than that.
            var amount = int.Parse(relative.Groups[2].Value, CultureInfo.InvariantCulture);
            var span = relative.Groups[3].Value switch
            {
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                "d" => TimeSpan.FromDays(amount),
                _ => TimeSpan.FromDays(7 * amount),
            };
            var edge = now - span;
            return relative.Groups[1].Value == "-" ? i => of(i) >= edge : i => of(i) < edge;
        }

        var op = value.StartsWith(">=") || value.StartsWith("<=") ? value[..2] : value.StartsWith('>') || value.StartsWith('<') ? value[..1] : "=";
        var text = op == "=" ? value : value[op.Length..];
        if (!IsoPattern().IsMatch(text) ||
            !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            throw new FormatException($"Error parsing search query: {key}:{value} is not a date. Use an ISO 8601 time such as {key}:>2024-01-01T10:00:00Z, or a relative one such as {key}:-24h.");
        }

        return op switch
        {
            ">" => i => of(i) > at,
            ">=" => i => of(i) >= at,
            "<" => i => of(i) < at,
            "<=" => i => of(i) <= at,
            _ => i => Math.Abs((of(i) - at).TotalSeconds) < 1,
        };
    }

    /// <summary>Splits on spaces, keeping quoted text and [a, b] lists whole.</summary>
    private static IEnumerable<string> Tokens(string text)
    {
        var current = new StringBuilder();
        var quoted = false;
        var bracket = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '[')
            {
                bracket = true;
            }
            else if (!quoted && c == ']')
            {
                bracket = false;
            }

            if (char.IsWhiteSpace(c) && !quoted && !bracket)
            {
                if (current.Length > 0)
                {
                    yield return current.ToString();
                    current.Clear();
                }

                continue;
            }

            current.Append(c);
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    [GeneratedRegex(@"^([-+])(\d{1,6})([mhdw])$")]
    private static partial Regex RelativePattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?(Z|[+-]\d{2}:\d{2})?$")]
    private static partial Regex IsoPattern();
}
