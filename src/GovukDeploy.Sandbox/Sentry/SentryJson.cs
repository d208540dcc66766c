using System.Globalization;

namespace GovukDeploy.Sandbox.Sentry;

/// <summary>Sentry's JSON, spelt as its API spells it (count as a string, times in UTC with microseconds).</summary>
public static class SentryJson
{
    public static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static object Project(SentryProject project) => new Dictionary<string, object?>
    {
        ["id"] = Id(project.Id),
        ["slug"] = project.Slug,
        ["name"] = project.Name,
        ["platform"] = project.Platform,
        ["dateCreated"] = Time(project.DateCreated),
        ["isBookmarked"] = false,
        ["isMember"] = true,
        ["hasAccess"] = true,
        ["features"] = Array.Empty<string>(),
        ["status"] = "active",
        ["organization"] = Organisation(),
    };

    public static object Organisation() => new Dictionary<string, object?>
    {
        ["id"] = "1",
        ["slug"] = SentryStore.Organisation,
        ["name"] = "GOV.UK",
        ["status"] = new Dictionary<string, object?> { ["id"] = "active", ["name"] = "active" },
    };

    /// <summary>An issue as the issue lists give it; <paramref name="webRoot"/> is where the permalink points.</summary>
    public static object Issue(SentryIssue issue, string webRoot, DateTimeOffset now)
    {
        var colon = issue.Title.IndexOf(':');
        return new Dictionary<string, object?>
        {
            ["id"] = Id(issue.Id),
            ["shareId"] = null,
            ["shortId"] = issue.ShortId,
            ["title"] = issue.Title,
            ["culprit"] = issue.Culprit,
            ["permalink"] = $"{webRoot}organizations/{SentryStore.Organisation}/issues/{Id(issue.Id)}/",
            ["logger"] = null,
            ["level"] = issue.Level,
            ["status"] = issue.Status,
            ["statusDetails"] = new Dictionary<string, object?>(),
            ["substatus"] = issue.Substatus,
            ["isPublic"] = false,
            ["platform"] = issue.Project.Platform,
            ["project"] = new Dictionary<string, object?>
            {
                ["id"] = Id(issue.Project.Id),
                ["name"] = issue.Project.Name,
                ["slug"] = issue.Project.Slug,
                ["platform"] = issue.Project.Platform,
            },
            ["type"] = "error",
            ["metadata"] = new Dictionary<string, object?>
            {
                ["type"] = colon > 0 ? issue.Title[..colon] : issue.Title,
                ["value"] = colon > 0 ? issue.Title[(colon + 1)..].Trim() : "",
            },
            ["numComments"] = 0,
            ["assignedTo"] = null,
            ["isBookmarked"] = false,
            ["isSubscribed"] = false,
            ["subscriptionDetails"] = null,
            ["hasSeen"] = false,
            ["annotations"] = Array.Empty<object>(),
            ["issueType"] = "error",
            ["issueCategory"] = "error",
            ["priority"] = issue.Level is "error" or "fatal" ? "high" : "low",
            ["isUnhandled"] = issue.Level is "error" or "fatal",
            ["count"] = issue.Count.ToString(CultureInfo.InvariantCulture),
            ["userCount"] = issue.UserCount,
            ["firstSeen"] = Time(issue.FirstSeen),
            ["lastSeen"] = Time(issue.LastSeen),
            ["stats"] = new Dictionary<string, object?> { ["24h"] = Hourly(issue, now) },
        };
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>24 hourly buckets of [unix seconds, events]: the issue's recent events in the last bucket it was seen in.</summary>
    private static List<long[]> Hourly(SentryIssue issue, DateTimeOffset now)
    {
        var hour = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero);
        var buckets = new List<long[]>(24);
        for (var i = 23; i >= 0; i--)
        {
            var start = hour.AddHours(-i);
            var seen = issue.LastSeen >= start && issue.LastSeen < start.AddHours(1);
            buckets.Add([start.ToUnixTimeSeconds(), seen ? Math.Min(issue.Count, 1000) : 0]);
        }

        return buckets;
    }
}
