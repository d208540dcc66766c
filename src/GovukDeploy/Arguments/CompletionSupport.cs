using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace GovukDeploy.Commands;

/// <summary>
/// What the argument completers share. Completion must be quick and must never reach the network:
/// it reads the settings and the store only, gives up after a short while, and never fails the
/// shell (a completer that cannot tell offers nothing).
/// </summary>
internal static class CompletionSupport
{
    /// <summary>Longer than a local store takes to answer, shorter than a person notices at the Tab key.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    /// <summary>The candidates that start with what was typed (ignoring case and quotes), in the order given.</summary>
    public static IEnumerable<CompletionResult> Offer(IEnumerable<string> candidates, string? wordToComplete, string? tooltipPrefix = null)
    {
        var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var pattern = WildcardPattern.Get(typed + "*", WildcardOptions.IgnoreCase);
        return candidates
            .Where(c => !string.IsNullOrEmpty(c) && pattern.IsMatch(c))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(c => new CompletionResult(Quote(c), c, CompletionResultType.ParameterValue, tooltipPrefix is null ? c : $"{tooltipPrefix}{c}"));
    }

    /// <summary>Runs store work with a time limit; no answer (slow, failing, unconfigured) is an empty list.</summary>
    public static IReadOnlyList<string> Read(Func<CancellationToken, Task<IEnumerable<string>>> work)
    {
        try
        {
            using var cancellation = new CancellationTokenSource(Patience);
            var task = Task.Run(() => work(cancellation.Token), cancellation.Token);
            return task.Wait(Patience) ? task.Result.ToList() : [];
        }
        catch (Exception)
        {
            // Completion is a convenience: whatever went wrong shows when the command itself runs.
            return [];
        }
    }

    /// <summary>A value already bound on the command line (first of a list), or null; piped values are not known yet.</summary>
    public static string? Bound(IDictionary fakeBoundParameters, params string[] names)
    {
        foreach (var name in names)
        {
            if (fakeBoundParameters.Contains(name))
            {
                var value = fakeBoundParameters[name] is PSObject wrapped ? wrapped.BaseObject : fakeBoundParameters[name];
                var first = value is IEnumerable list and not string ? list.Cast<object?>().FirstOrDefault() : value;
                if (first is string text && !string.IsNullOrWhiteSpace(text))
                {
                    return text;
                }
            }
        }

        return null;
    }

    private static string Quote(string value) =>
        value.Any(c => char.IsWhiteSpace(c) || "'\"`$&(){}[];,|<>@#".Contains(c))
            ? "'" + value.Replace("'", "''") + "'"
            : value;
}
