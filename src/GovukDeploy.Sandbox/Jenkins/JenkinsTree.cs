using System.Globalization;
using System.Text.Json.Nodes;

namespace GovukDeploy.Sandbox.Jenkins;

/// <summary>
/// Jenkins' ?tree= filter: "jobs[name,url],builds[number,result]{0,5}" keeps only the
/// named properties (and each object's _class), recursively, with optional ranges on arrays.
/// </summary>
public static class JenkinsTree
{
    public sealed record Spec(string Name, IReadOnlyList<Spec>? Children, int? From, int? To);

    public static JsonNode? Apply(JsonNode? node, string tree)
    {
        var position = 0;
        var specs = ParseList(tree, ref position);
        return Filter(node, specs);
    }

    private static JsonNode? Filter(JsonNode? node, IReadOnlyList<Spec> specs)
    {
        switch (node)
        {
            case JsonArray array:
                return new JsonArray(array.Select(item => Filter(item, specs)).ToArray());
            case JsonObject obj:
                var result = new JsonObject();
                if (obj.TryGetPropertyValue("_class", out var cls))
                {
                    result["_class"] = cls?.DeepClone();
                }
                foreach (var spec in specs)
                {
                    if (!obj.TryGetPropertyValue(spec.Name, out var value))
                    {
                        continue;
                    }
                    if (value is JsonArray list && (spec.From is not null || spec.To is not null))
                    {
                        var from = Math.Clamp(spec.From ?? 0, 0, list.Count);
                        var to = Math.Clamp(spec.To ?? list.Count, from, list.Count);
                        value = new JsonArray(list.Skip(from).Take(to - from).Select(v => v?.DeepClone()).ToArray());
                    }
                    result[spec.Name] = spec.Children is null ? value?.DeepClone() : Filter(value, spec.Children);
                }
                return result;
            default:
                return node?.DeepClone();
        }
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
