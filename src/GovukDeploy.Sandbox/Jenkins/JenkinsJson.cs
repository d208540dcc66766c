namespace GovukDeploy.Sandbox.Jenkins;

/// <summary>Renders jobs, builds and queue items as Jenkins' /api/json does (camelCase, _class, absolute URLs, epoch milliseconds).</summary>
public static class JenkinsJson
{
    /// <summary>How many builds Jenkins' "builds" lists (Job.getNewBuilds).</summary>
    public const int NewBuildsLimit = 100;

    public static object Root(JenkinsInstance jenkins) => new Dictionary<string, object?>
    {
        ["_class"] = "hudson.model.Hudson",
        ["assignedLabels"] = new[] { new Dictionary<string, object?> { ["name"] = "built-in" } },
        ["mode"] = "NORMAL",
        ["nodeDescription"] = "the Jenkins controller's built-in node",
        ["nodeName"] = "",
        ["numExecutors"] = 4,
        ["description"] = $"GOV.UK {jenkins.Environment} Jenkins (sandbox)",
        ["jobs"] = jenkins.TopLevelJobs.Select(j => JobRef(jenkins, j)).ToList(),
        ["quietingDown"] = false,
        ["slaveAgentPort"] = -1,
        ["useCrumbs"] = true,
        ["useSecurity"] = true,
        ["url"] = jenkins.RootUrl,
    };

    public static object JobRef(JenkinsInstance jenkins, JenkinsJob job) => new Dictionary<string, object?>
    {
        ["_class"] = job.ClassName,
        ["name"] = job.Name,
        ["url"] = jenkins.JobUrl(job),
        ["color"] = job.IsContainer ? null : Color(job),
    };

    /// <summary>
    /// A job as /api/json shows it. Like Jenkins, "builds" holds the newest 100 builds and
    /// "allBuilds" every build, the latter only when a tree names it. For a tree
    /// (<paramref name="forTree"/>) builds carry all their properties and are rendered lazily,
    /// so that a range renders only its builds; without one they are references.
    /// </summary>
    public static object Job(JenkinsInstance jenkins, JenkinsJob job, bool forTree = false)
    {
        var body = new Dictionary<string, object?>
        {
            ["_class"] = job.ClassName,
            ["actions"] = Array.Empty<object>(),
            ["description"] = job.Description,
            ["displayName"] = job.Name,
            ["displayNameOrNull"] = null,
            ["fullDisplayName"] = job.FullName.Replace("/", " » "),
            ["fullName"] = job.FullName,
            ["name"] = job.Name,
            ["url"] = jenkins.JobUrl(job),
        };
        if (job.IsContainer)
        {
            body["healthReport"] = Array.Empty<object>();
            body["jobs"] = job.Children.Select(c => JobRef(jenkins, c)).ToList();
            body["primaryView"] = new Dictionary<string, object?> { ["_class"] = "hudson.model.AllView", ["name"] = "All", ["url"] = jenkins.JobUrl(job) };
            return body;
        }

        object? Ref(JenkinsBuild? b) => b is null ? null : forTree ? Build(jenkins, b) : BuildRef(jenkins, b);
        var builds = job.Builds;
        var completed = builds.Where(b => !b.Building).ToList();
        body["buildable"] = true;
        if (forTree)
        {
            body["allBuilds"] = new LazyJsonList(builds.Count, i => Build(jenkins, builds[i]));
            body["builds"] = new LazyJsonList(Math.Min(NewBuildsLimit, builds.Count), i => Build(jenkins, builds[i]));
        }
        else
        {
            body["builds"] = builds.Take(NewBuildsLimit).Select(b => BuildRef(jenkins, b)).ToList();
        }
        body["color"] = Color(job);
        body["firstBuild"] = Ref(builds.LastOrDefault());
        body["healthReport"] = Array.Empty<object>();
        body["inQueue"] = false;
        body["keepDependencies"] = false;
        body["lastBuild"] = Ref(builds.FirstOrDefault());
        body["lastCompletedBuild"] = Ref(completed.FirstOrDefault());
        body["lastFailedBuild"] = Ref(completed.FirstOrDefault(b => b.Result == "FAILURE"));
        body["lastStableBuild"] = Ref(completed.FirstOrDefault(b => b.Result == "SUCCESS"));
        body["lastSuccessfulBuild"] = Ref(completed.FirstOrDefault(b => b.Result == "SUCCESS"));
        body["lastUnstableBuild"] = null;
        body["lastUnsuccessfulBuild"] = Ref(completed.FirstOrDefault(b => b.Result != "SUCCESS"));
        body["nextBuildNumber"] = job.NextBuildNumber;
        body["property"] = job.Parameters.Count == 0
            ? Array.Empty<object>()
            : new object[]
            {
                new Dictionary<string, object?>
                {
                    ["_class"] = "hudson.model.ParametersDefinitionProperty",
                    ["parameterDefinitions"] = job.Parameters.Select(p => new Dictionary<string, object?>
                    {
                        ["_class"] = "hudson.model.StringParameterDefinition",
                        ["defaultParameterValue"] = new Dictionary<string, object?>
                        {
                            ["_class"] = "hudson.model.StringParameterValue", ["name"] = p.Name, ["value"] = p.DefaultValue,
                        },
                        ["description"] = p.Description,
                        ["name"] = p.Name,
                        ["type"] = "StringParameterDefinition",
                    }).ToList(),
                },
            };
        body["queueItem"] = null;
        body["concurrentBuild"] = job.Kind != JobKind.Pipeline;
        body["resumeBlocked"] = false;
        return body;
    }

    public static object BuildRef(JenkinsInstance jenkins, JenkinsBuild build) => new Dictionary<string, object?>
    {
        ["_class"] = build.Job.BuildClassName,
        ["number"] = build.Number,
        ["url"] = jenkins.BuildUrl(build),
    };

    public static object Build(JenkinsInstance jenkins, JenkinsBuild build) => new Dictionary<string, object?>
    {
        ["_class"] = build.Job.BuildClassName,
        ["actions"] = Actions(build.Parameters, build.Cause),
        ["artifacts"] = Array.Empty<object>(),
        ["building"] = build.Building,
        ["description"] = null,
        ["displayName"] = $"#{build.Number}",
        ["duration"] = build.Building ? 0 : build.DurationMs,
        ["estimatedDuration"] = build.EstimatedDurationMs,
        ["executor"] = build.Building ? new Dictionary<string, object?> { ["_class"] = "hudson.model.OneOffExecutor" } : null,
        ["fullDisplayName"] = $"{build.Job.FullName.Replace("/", " » ")} #{build.Number}",
        ["id"] = build.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["keepLog"] = false,
        ["number"] = build.Number,
        ["queueId"] = build.QueueId,
        ["result"] = build.Result,
        ["timestamp"] = build.Timestamp.ToUnixTimeMilliseconds(),
        ["url"] = jenkins.BuildUrl(build),
        ["builtOn"] = "",
        ["changeSets"] = Array.Empty<object>(),
        ["culprits"] = Array.Empty<object>(),
        ["inProgress"] = build.Building,
        ["nextBuild"] = null,
        ["previousBuild"] = null,
    };

    public static object QueueItem(JenkinsInstance jenkins, QueueItem item)
    {
        var body = new Dictionary<string, object?>
        {
            ["_class"] = item.Left ? "hudson.model.Queue$LeftItem" : "hudson.model.Queue$WaitingItem",
            ["actions"] = Actions(item.Parameters, item.Cause),
            ["blocked"] = false,
            ["buildable"] = false,
            ["id"] = item.Id,
            ["inQueueSince"] = item.InQueueSince.ToUnixTimeMilliseconds(),
            ["params"] = string.Concat(item.Parameters.Select(p => $"\n{p.Key}={p.Value}")),
            ["stuck"] = false,
            ["task"] = JobRef(jenkins, item.Job),
            ["url"] = $"queue/item/{item.Id}/",
            ["why"] = item.Left ? null : $"In the quiet period. Expires in {Math.Max(0, (item.BuildableAt - jenkins.Clock.GetUtcNow()).TotalSeconds):0.0} sec",
        };
        if (item.Left)
        {
            body["cancelled"] = item.Cancelled;
            body["executable"] = item.Build is null ? null : BuildRef(jenkins, item.Build);
        }
        else
        {
            body["timestamp"] = item.BuildableAt.ToUnixTimeMilliseconds();
        }
        return body;
    }

    private static List<object> Actions(IReadOnlyList<KeyValuePair<string, string>> parameters, BuildCause cause)
    {
        var actions = new List<object>();
        if (parameters.Count > 0)
        {
            actions.Add(new Dictionary<string, object?>
            {
                ["_class"] = "hudson.model.ParametersAction",
                ["parameters"] = parameters.Select(p => new Dictionary<string, object?>
                {
                    ["_class"] = "hudson.model.StringParameterValue", ["name"] = p.Key, ["value"] = p.Value,
                }).ToList(),
            });
        }
        var causeBody = new Dictionary<string, object?> { ["_class"] = cause.ClassName, ["shortDescription"] = cause.ShortDescription };
        foreach (var (key, value) in cause.Extra)
        {
            causeBody[key] = value;
        }
        actions.Add(new Dictionary<string, object?> { ["_class"] = "hudson.model.CauseAction", ["causes"] = new[] { causeBody } });
        return actions;
    }

    private static string Color(JenkinsJob job)
    {
        var last = job.Builds.FirstOrDefault();
        var lastDone = job.Builds.FirstOrDefault(b => !b.Building);
        var color = lastDone?.Result switch
        {
            null => "notbuilt",
            "SUCCESS" => "blue",
            "FAILURE" => "red",
            "ABORTED" => "aborted",
            _ => "yellow",
        };
        return last is { Building: true } ? color + "_anime" : color;
    }
}
