namespace GovukDeploy.Sandbox.Sentry;

/// <summary>The sandbox's Sentry: one organisation and its projects. One lock guards the lot.</summary>
public sealed class SentryStore
{
    public const string Organisation = "govuk";

    private readonly Dictionary<string, SentryProject> _projects = new(StringComparer.OrdinalIgnoreCase);
    private long _nextId = 4_000_000_000;

    public SentryStore(TimeProvider clock) => Clock = clock;

    public object Sync { get; } = new();
    public TimeProvider Clock { get; }

    /// <summary>Whether <paramref name="organisation"/> is this Sentry's organisation (by slug).</summary>
    public static bool IsOrganisation(string organisation) => string.Equals(organisation, Organisation, StringComparison.OrdinalIgnoreCase);

    public SentryProject AddProject(string slug, DateTimeOffset created)
    {
        lock (Sync)
        {
            if (!_projects.TryGetValue(slug, out var project))
            {
                project = new SentryProject { Id = 1000 + _projects.Count + 1, Slug = slug.ToLowerInvariant(), Name = slug, DateCreated = created };
                _projects[slug] = project;
            }

            return project;
        }
    }

    /// <summary>A project by slug or numeric id; null when there is none.</summary>
    public SentryProject? FindProject(string slugOrId)
    {
        lock (Sync)
        {
            return _projects.GetValueOrDefault(slugOrId)
                ?? _projects.Values.FirstOrDefault(p => p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == slugOrId);
        }
    }

    public IReadOnlyList<SentryProject> Projects()
    {
        lock (Sync)
        {
            return _projects.Values.OrderBy(p => p.Slug, StringComparer.Ordinal).ToList();
        }
    }

    public SentryIssue AddIssue(SentryProject project, string title, string level, DateTimeOffset firstSeen, DateTimeOffset lastSeen,
        long count, string status = "unresolved", string? substatus = "new", string culprit = "")
    {
        lock (Sync)
        {
            // Short ids are the project's slug and a number in base 36, as PROJECT-1A.
            var issue = new SentryIssue
            {
                Id = ++_nextId,
                ShortId = $"{project.Slug.ToUpperInvariant()}-{Base36(project.NextShortNumber++)}",
                Project = project,
                Title = title,
                Culprit = culprit,
                Level = level,
                Count = count,
                UserCount = (int)Math.Min(count, Math.Max(1, count / 3)),
                FirstSeen = firstSeen,
                LastSeen = lastSeen,
                Status = status,
                Substatus = status == "unresolved" ? substatus : null,
            };
            project.Issues.Add(issue);
            return issue;
        }
    }

    /// <summary>A resolved issue comes back: unresolved again, substatus regressed, seen at <paramref name="at"/>.</summary>
    public void Regress(SentryIssue issue, DateTimeOffset at, long moreEvents)
    {
        lock (Sync)
        {
            issue.Status = "unresolved";
            issue.Substatus = "regressed";
            issue.LastSeen = at;
            issue.Count += moreEvents;
        }
    }

    /// <summary>An issue known for long is seen again: still ongoing, not new.</summary>
    public void SeenAgain(SentryIssue issue, DateTimeOffset at, long moreEvents)
    {
        lock (Sync)
        {
            issue.LastSeen = at;
            issue.Count += moreEvents;
            if (issue.Status == "unresolved" && issue.Substatus == "new")
            {
                issue.Substatus = "ongoing";
            }
        }
    }

    private static string Base36(int n)
    {
        const string digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var text = "";
        do
        {
            text = digits[n % 36] + text;
            n /= 36;
        }
        while (n > 0);
        return text;
    }
}
