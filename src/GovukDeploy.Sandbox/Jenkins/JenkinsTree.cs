using System.Collections;
using System.Globalization;

namespace GovukDeploy.Sandbox.Jenkins;

/// <summary>
/// Jenkins' ?tree= filter: "jobs[name,url],builds[number,result]{0,5}" keeps only the named
/// properties (and each object's _class), recursively; {M,N} keeps elements M (inclusive) to
/// N (exclusive) of an array, {M,} from M on, {N} element N alone. An object or array named
/// without a [...] keeps only _class in each object, as Jenkins does.
/// It works on the bodies JenkinsJson builds (dictionaries and lists), before serialising, so
/// a range over a <see cref="LazyJsonList"/> renders only the elements in range.
/// </summary>
public static class JenkinsTree
{
    public sealed record Spec(string Name, IReadOnlyList<Spec>? Children, int? From, int? To);

    private static readonly IReadOnlyList<Spec> Nothing = [];

    public static IReadOnlyList<Spec> Parse(string tree)
    {
        var position = 0;
        return ParseList(tree, ref position);
    }

    public static object? Apply(object? body, IReadOnlyList<Spec> specs) => Filter(body, specs);

    private static object? Filter(object? value, IReadOnlyList<Spec> specs) => value switch
    {
        null or string => value,
        IDictionary<string, object?> obj => FilterObject(obj, specs),
        IEnumerable list => list.Cast<object?>().Select(item => Filter(item, specs)).ToList(),
        _ => value,
    };

    private static Dictionary<string, object?> FilterObject(IDictionary<string, object?> obj, IReadOnlyList<Spec> specs)
    {
        var result = new Dictionary<string, object?>();
        if (obj.TryGetValue("_class", out var cls))
        {
            result["_class"] = cls;
        }
        foreach (var spec in specs)
        {
            if (!obj.TryGetValue(spec.Name, out var value))
            {
                continue;
            }
            if (spec.From is not null || spec.To is not null)
            {
                value = Slice(value, spec.From, spec.To);
            }
            result[spec.Name] = Filter(value, spec.Children ?? Nothing);
        }
        return result;
    }

    private static object? Slice(object? value, int? from, int? to)
    {
        switch (value)
        {
            case LazyJsonList lazy:
            {
                var (start, end) = Bounds(lazy.Count, from, to);
                return Enumerable.Range(start, end - start).Select(i => lazy[i]).ToList();
            }
            case string:
                return value;
            case IEnumerable list:
            {
                var items = list.Cast<object?>().ToList();
                var (start, end) = Bounds(items.Count, from, to);
                return items.GetRange(start, end - start);
            }
            default:
                return value;
        }
    }

    private static (int Start, int End) Bounds(int count, int? from, int? to)
    {
        var start = Math.Clamp(from ?? 0, 0, count);
        var end = Math.Clamp(to ?? count, start, count);
        return (start, end);
    }

    private static List<Spec> ParseList(string text, ref int i)
    {
        var specs = new List<Spec>();
        while (i < text.Length && text[i] != ']')
        {
            var start = i;
            while (i < text.Length && text[i] is not (',' or '[' or ']' or '{'))
            {
                i++;
            }
            var name = text[start..i].Trim();
            IReadOnlyList<Spec>? children = null;
            int? from = null, to = null;
            if (i < text.Length && text[i] == '[')
            {
                i++;
                children = ParseList(text, ref i);
                if (i < text.Length && text[i] == ']')
                {
                    i++;
                }
            }
            if (i < text.Length && text[i] == '{')
            {
                var close = text.IndexOf('}', i);
                close = close < 0 ? text.Length : close;
                var range = text[(i + 1)..close].Split(',');
                from = ParseInt(range[0]);
                to = range.Length > 1 ? ParseInt(range[1]) : from + 1;
                i = Math.Min(text.Length, close + 1);
            }
            if (name.Length > 0)
            {
                specs.Add(new Spec(name, children, from, to));
            }
            if (i < text.Length && text[i] == ',')
            {
                i++;
            }
        }
        return specs;
    }

    private static int? ParseInt(string text) =>
        int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}
