using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using GovukDeploy.Errors;
using RestSharp;

namespace GovukDeploy.Jenkins;

/// <summary>
/// One environment's Jenkins: triggers parameterised builds, follows queue items to their builds and
/// builds to their end while streaming the console. Reads are retried (5xx, dropped connections,
/// timeouts) with jittered backoff; a trigger is never repeated without first looking for the build
/// it may already have started.
/// </summary>
public sealed class JenkinsClient : IDisposable
{
    private readonly JenkinsTransport _transport;
    private readonly JenkinsClientOptions _options;

    public JenkinsClient(JenkinsConnection connection, string environment, JenkinsClientOptions? options = null)
    {
        _options = options ?? new JenkinsClientOptions();
        _transport = new JenkinsTransport(connection, environment, _options);
        Environment = environment;
        BaseUrl = _transport.BaseUrl;
    }

    public string Environment { get; }
    public Uri BaseUrl { get; }
    public JenkinsClientOptions Options => _options;

    // ---------------------------------------------------------------- jobs and builds

    /// <summary>The number the job's next build will get (also proves the job exists).</summary>
    public async Task<int> GetNextBuildNumberAsync(string job, CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync(JenkinsJobPath.ToUrlPath(job) + "api/json", $"reading job {job}", cancellationToken).ConfigureAwait(false)
            ?? throw ErrorCatalogue.JenkinsJobNotFound(BaseUrl, job);
        return json.RootElement.TryGetProperty("nextBuildNumber", out var next) && next.TryGetInt32(out var n) ? n : 1;
    }

    /// <summary>Jenkins' estimate for the job: the estimatedDuration of its newest build, or null when it has none.</summary>
    public async Task<TimeSpan?> GetEstimatedDurationAsync(string job, CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync(JenkinsJobPath.ToUrlPath(job) + "api/json", $"reading job {job}", cancellationToken).ConfigureAwait(false)
            ?? throw ErrorCatalogue.JenkinsJobNotFound(BaseUrl, job);
        if (!json.RootElement.TryGetProperty("lastBuild", out var last) || last.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var build = await GetBuildAsync(last.GetProperty("url").GetString()!, cancellationToken).ConfigureAwait(false);
        return build.EstimatedDuration > TimeSpan.Zero ? build.EstimatedDuration : null;
    }

    /// <summary>Reads a build by its URL (absolute, as Jenkins gives it, or relative to this Jenkins).</summary>
    public async Task<JenkinsBuildInfo> GetBuildAsync(string buildUrl, CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync(Relative(buildUrl) + "api/json", "reading build " + buildUrl, cancellationToken).ConfigureAwait(false)
            ?? throw ErrorCatalogue.JenkinsBuildNotFound(buildUrl);
        return ParseBuild(json.RootElement, buildUrl);
    }

    /// <summary>What a history page asks of each build: just what says what ran, when, and who started it.</summary>
    private const string HistoryFields =
        "number,url,building,result,timestamp,duration,actions[parameters[name,value],causes[shortDescription,userId,userName,upstreamProject,upstreamBuild]]";

    /// <summary>
    /// One page of a job's builds, newest first: builds <paramref name="from"/> (0 is the newest) up to
    /// <paramref name="to"/> (exclusive), in one request. Jenkins lists only the newest 100 as "builds";
    /// older ones are asked for as "allBuilds", which it gives only when named.
    /// </summary>
    public async Task<IReadOnlyList<JenkinsHistoryBuild>> GetBuildHistoryAsync(string job, int from, int to, CancellationToken cancellationToken)
    {
        var list = to <= 100 ? "builds" : "allBuilds";
        var tree = string.Create(CultureInfo.InvariantCulture, $"{list}[{HistoryFields}]{{{from},{to}}}");
        var resource = JenkinsJobPath.ToUrlPath(job) + "api/json?tree=" + Uri.EscapeDataString(tree);
        using var json = await GetJsonAsync(resource, $"reading the history of {job}", cancellationToken).ConfigureAwait(false)
            ?? throw ErrorCatalogue.JenkinsJobNotFound(BaseUrl, job);
        if (!json.RootElement.TryGetProperty(list, out var builds) || builds.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var page = new List<JenkinsHistoryBuild>(builds.GetArrayLength());
        foreach (var build in builds.EnumerateArray())
        {
            if (ParseHistoryBuild(build) is { } parsed)
            {
                page.Add(parsed);
            }
        }

        return page;
    }

    /// <summary>Reads the console from byte offset <paramref name="start"/>; a build Jenkins no longer has reads as empty and finished.</summary>
    public async Task<JenkinsConsoleChunk> ReadConsoleAsync(string buildUrl, long start, CancellationToken cancellationToken) =>
        await TryReadConsoleAsync(buildUrl, start, cancellationToken).ConfigureAwait(false) ?? new JenkinsConsoleChunk("", start, false);

    /// <summary>Reads the console from byte offset <paramref name="start"/>; null when Jenkins has no such build (404).</summary>
    public Task<JenkinsConsoleChunk?> TryReadConsoleAsync(string buildUrl, long start, CancellationToken cancellationToken) =>
        ReadAsync<JenkinsConsoleChunk?>(async token =>
        {
            var request = new RestRequest(Relative(buildUrl) + "logText/progressiveText");
            request.AddQueryParameter("start", start.ToString(CultureInfo.InvariantCulture));
            var response = await ExecuteReadAsync(request, "reading the console of " + buildUrl, token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            var size = Header(response, "X-Text-Size") is { } s && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : start;
            var more = string.Equals(Header(response, "X-More-Data"), "true", StringComparison.OrdinalIgnoreCase);
            var text = response.RawBytes is { Length: > 0 } raw ? Encoding.UTF8.GetString(raw) : "";
            return new JenkinsConsoleChunk(text, size, more);
        }, cancellationToken);

    // ---------------------------------------------------------------- triggering

    /// <summary>
    /// Starts a build with parameters and returns its queue item. When the trigger's outcome is unknown
    /// (no answer, a dropped connection, a 5xx), looks for a queued or recent build with the same
    /// parameters before triggering again; it triggers again at most once.
    /// </summary>
    public async Task<JenkinsQueuedBuild> TriggerAsync(string job, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        var path = JenkinsJobPath.ToUrlPath(job);
        var firstNumber = await GetNextBuildNumberAsync(job, cancellationToken).ConfigureAwait(false);
        Exception? lastUnknown = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RestResponse response;
            try
            {
                // Once sent, the trigger runs to its answer: a cancelled wait must not leave its outcome unknown.
                response = await PostAsync(path + "buildWithParameters", parameters, "triggering " + job, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TransientJenkinsException unknown)
            {
                lastUnknown = unknown;
                var found = await FindTriggeredAsync(job, parameters, firstNumber, cancellationToken).ConfigureAwait(false);
                if (found is not null)
                {
                    return found;
                }

                continue;
            }

            if (response.StatusCode == HttpStatusCode.Created && Header(response, "Location") is { } location)
            {
                return QueueItemFrom(location);
            }

            throw response.StatusCode switch
            {
                HttpStatusCode.NotFound => ErrorCatalogue.JenkinsJobNotFound(BaseUrl, job),
                HttpStatusCode.Forbidden => ErrorCatalogue.JenkinsPermissionDenied(BaseUrl, "starting " + job),
                _ => ErrorCatalogue.JenkinsRequestFailed(BaseUrl, "starting " + job, (int)response.StatusCode),
            };
        }

        throw ErrorCatalogue.JenkinsTriggerOutcomeUnknown(BaseUrl, job, lastUnknown);
    }

    /// <summary>
    /// Looks for a build of <paramref name="job"/> with exactly these parameters: in the queue, then among
    /// builds numbered <paramref name="firstNumber"/> or later. Looks twice, a quiet period apart, because a
    /// trigger that got through may still be waiting to appear.
    /// </summary>
    public async Task<JenkinsQueuedBuild?> FindTriggeredAsync(string job, IReadOnlyDictionary<string, string> parameters, int firstNumber, CancellationToken cancellationToken)
    {
        for (var look = 0; look < 2; look++)
        {
            if (look > 0)
            {
                await Task.Delay(_options.TriggerSettleTime, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                if (await FindInQueueAsync(job, parameters, cancellationToken).ConfigureAwait(false) is { } queued)
                {
                    return queued;
                }

                if (await FindRecentBuildAsync(job, parameters, firstNumber, cancellationToken).ConfigureAwait(false) is { } build)
                {
                    return build;
                }
            }
            catch (GovukDeployException e) when (e.ErrorId == "JenkinsUnreachable")
            {
                // We cannot tell whether it started, so we must not trigger again.
                throw ErrorCatalogue.JenkinsTriggerOutcomeUnknown(BaseUrl, job, e);
            }
        }

        return null;
    }

    private async Task<JenkinsQueuedBuild?> FindInQueueAsync(string job, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync("queue/api/json", "reading the queue", cancellationToken).ConfigureAwait(false);
        if (json is null || !json.RootElement.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var jobUrl = new Uri(BaseUrl, JenkinsJobPath.ToUrlPath(job)).AbsolutePath;
        foreach (var item in items.EnumerateArray())
        {
            var taskUrl = item.TryGetProperty("task", out var task) && task.TryGetProperty("url", out var url) ? url.GetString() : null;
            var sameJob = taskUrl is not null && Uri.TryCreate(BaseUrl, taskUrl, out var taskUri) && taskUri.AbsolutePath.TrimEnd('/') == jobUrl.TrimEnd('/');
            if (sameJob && SameParameters(ParametersOf(item), parameters) && item.TryGetProperty("id", out var id))
            {
                return new JenkinsQueuedBuild
                {
                    QueueId = id.GetInt64(),
                    QueueUrl = new Uri(BaseUrl, $"queue/item/{id.GetInt64()}/").ToString(),
                    Recovered = true,
                };
            }
        }

        return null;
    }

    private async Task<JenkinsQueuedBuild?> FindRecentBuildAsync(string job, IReadOnlyDictionary<string, string> parameters, int firstNumber, CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync(JenkinsJobPath.ToUrlPath(job) + "api/json", $"reading job {job}", cancellationToken).ConfigureAwait(false)
            ?? throw ErrorCatalogue.JenkinsJobNotFound(BaseUrl, job);
        if (!json.RootElement.TryGetProperty("builds", out var builds) || builds.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var candidates = builds.EnumerateArray()
            .Select(b => (Number: b.GetProperty("number").GetInt32(), Url: b.GetProperty("url").GetString()!))
            .Where(b => b.Number >= firstNumber)
            .OrderBy(b => b.Number)
            .Take(_options.RecentBuildsToSearch)
            .ToList();
        foreach (var (number, url) in candidates)
        {
            var build = await GetBuildAsync(url, cancellationToken).ConfigureAwait(false);
            if (SameParameters(build.Parameters, parameters))
            {
                return new JenkinsQueuedBuild { BuildNumber = number, BuildUrl = build.Url, QueueId = build.QueueId, Recovered = true };
            }
        }

        return null;
    }

    // ---------------------------------------------------------------- the queue

    /// <summary>
    /// Follows a queue item until it becomes a build; DeployQueueCancelled when it was cancelled instead.
    /// <paramref name="onWaiting"/> hears Jenkins' reason for the wait.
    /// </summary>
    public async Task<JenkinsBuildInfo> WaitForBuildAsync(JenkinsQueuedBuild queued, string job, Action<string>? onWaiting, CancellationToken cancellationToken)
    {
        if (queued.BuildUrl is { } known)
        {
            return await GetBuildAsync(known, cancellationToken).ConfigureAwait(false);
        }

        var queueUrl = queued.QueueUrl ?? throw new ArgumentException("The queued build has neither a queue item nor a build.", nameof(queued));
        while (true)
        {
            using (var json = await GetJsonAsync(Relative(queueUrl) + "api/json", "reading queue item " + queueUrl, cancellationToken).ConfigureAwait(false))
            {
                if (json is null)
                {
                    throw ErrorCatalogue.JenkinsQueueItemGone(queueUrl);
                }

                var item = json.RootElement;
                if (item.TryGetProperty("cancelled", out var cancelled) && cancelled.ValueKind == JsonValueKind.True)
                {
                    throw ErrorCatalogue.DeployQueueCancelled(queueUrl, job);
                }

                if (item.TryGetProperty("executable", out var executable) && executable.ValueKind == JsonValueKind.Object)
                {
                    return await GetBuildAsync(executable.GetProperty("url").GetString()!, cancellationToken).ConfigureAwait(false);
                }

                if (item.TryGetProperty("why", out var why) && why.ValueKind == JsonValueKind.String)
                {
                    onWaiting?.Invoke(why.GetString()!);
                }
            }

            await Task.Delay(_options.QueuePollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Cancels a waiting queue item. True when cancelled; false when it had already left the queue
    /// (it became a build, which is then left running).
    /// </summary>
    public async Task<bool> CancelQueueItemAsync(long queueId, CancellationToken cancellationToken)
    {
        var id = queueId.ToString(CultureInfo.InvariantCulture);
        RestResponse response;
        try
        {
            response = await PostAsync("queue/cancelItem", new Dictionary<string, string>(), "cancelling queue item " + id, cancellationToken,
                query: new Dictionary<string, string> { ["id"] = id }).ConfigureAwait(false);
        }
        catch (TransientJenkinsException e)
        {
            throw ErrorCatalogue.JenkinsUnreachable(BaseUrl, "cancelling queue item " + id, e);
        }

        // Older Jenkins answers a redirect whether or not anything was cancelled, so the item itself says what happened.
        using var item = await GetJsonAsync($"queue/item/{id}/api/json", "reading queue item " + id, cancellationToken).ConfigureAwait(false);
        if (item is not null)
        {
            if (item.RootElement.TryGetProperty("cancelled", out var cancelled) && cancelled.ValueKind == JsonValueKind.True)
            {
                return true;
            }

            if (item.RootElement.TryGetProperty("executable", out var executable) && executable.ValueKind == JsonValueKind.Object)
            {
                return false;
            }
        }

        return (int)response.StatusCode is >= 200 and < 300;
    }

    /// <summary>
    /// The build that came out of a queue item, among the job's newest builds (Jenkins forgets a queue
    /// item a few minutes after it left the queue, but each build remembers its queueId); null when none did.
    /// </summary>
    public async Task<JenkinsBuildInfo?> FindBuildByQueueIdAsync(string job, long queueId, CancellationToken cancellationToken)
    {
        var resource = JenkinsJobPath.ToUrlPath(job) + "api/json?tree=" + Uri.EscapeDataString("builds[number,url,queueId]");
        using var json = await GetJsonAsync(resource, $"reading the builds of {job}", cancellationToken).ConfigureAwait(false)
            ?? throw ErrorCatalogue.JenkinsJobNotFound(BaseUrl, job);
        if (!json.RootElement.TryGetProperty("builds", out var builds) || builds.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var build in builds.EnumerateArray())
        {
            if (build.TryGetProperty("queueId", out var id) && id.TryGetInt64(out var n) && n == queueId
                && build.TryGetProperty("url", out var url) && url.GetString() is { Length: > 0 } buildUrl)
            {
                return await GetBuildAsync(buildUrl, cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }

    /// <summary>A queue item by its URL (as recorded when the build was triggered), with its id.</summary>
    public JenkinsQueuedBuild QueuedBuildFrom(string queueUrl) => QueueItemFrom(queueUrl);

    // ---------------------------------------------------------------- stopping

    /// <summary>
    /// Asks Jenkins to stop a running build (POST build/stop, with a crumb or the API token). Jenkins
    /// answers before the build has ended: <see cref="WaitUntilFinishedAsync"/> waits for that.
    /// </summary>
    public async Task StopBuildAsync(string buildUrl, CancellationToken cancellationToken)
    {
        var what = "stopping " + buildUrl;
        RestResponse response;
        try
        {
            response = await PostAsync(Relative(buildUrl) + "stop", new Dictionary<string, string>(), what, cancellationToken).ConfigureAwait(false);
        }
        catch (TransientJenkinsException e)
        {
            throw ErrorCatalogue.JenkinsUnreachable(BaseUrl, what, e);
        }

        // Jenkins answers a redirect to the build's page.
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 400)
        {
            return;
        }

        throw response.StatusCode switch
        {
            HttpStatusCode.NotFound => ErrorCatalogue.JenkinsBuildNotFound(buildUrl),
            HttpStatusCode.Forbidden => ErrorCatalogue.JenkinsPermissionDenied(BaseUrl, what),
            _ => ErrorCatalogue.JenkinsRequestFailed(BaseUrl, what, status),
        };
    }

    /// <summary>Polls a build until Jenkins says it has ended (no console is read); returns it as it ended.</summary>
    public async Task<JenkinsBuildInfo> WaitUntilFinishedAsync(string buildUrl, Action<JenkinsBuildInfo>? onPoll, CancellationToken cancellationToken)
    {
        while (true)
        {
            var build = await GetBuildAsync(buildUrl, cancellationToken).ConfigureAwait(false);
            onPoll?.Invoke(build);
            if (!build.Building)
            {
                return build;
            }

            await Task.Delay(_options.BuildPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    // ---------------------------------------------------------------- watching

    /// <summary>
    /// Follows a build to its end: every console line goes to <paramref name="onLine"/> (in order, once),
    /// and <paramref name="onPoll"/> hears the build's state now and then. Returns the finished build.
    /// </summary>
    public async Task<JenkinsBuildInfo> WatchAsync(string buildUrl, Action<string>? onLine, Action<JenkinsBuildInfo>? onPoll, CancellationToken cancellationToken, long consoleStart = 0)
    {
        var build = await GetBuildAsync(buildUrl, cancellationToken).ConfigureAwait(false);
        onPoll?.Invoke(build);
        var offset = consoleStart;
        var pending = new StringBuilder();
        while (true)
        {
            var chunk = await ReadConsoleAsync(buildUrl, offset, cancellationToken).ConfigureAwait(false);
            offset = chunk.NextStart;
            EmitLines(pending, chunk.Text, onLine, flush: false);
            if (!chunk.MoreData)
            {
                // The console is complete once Jenkins stops promising more; the build record says how it ended.
                build = await GetBuildAsync(buildUrl, cancellationToken).ConfigureAwait(false);
                if (!build.Building)
                {
                    var rest = await ReadConsoleAsync(buildUrl, offset, cancellationToken).ConfigureAwait(false);
                    EmitLines(pending, rest.Text, onLine, flush: true);
                    onPoll?.Invoke(build);
                    return build;
                }
            }

            onPoll?.Invoke(build);
            await Task.Delay(_options.BuildPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void EmitLines(StringBuilder pending, string text, Action<string>? onLine, bool flush)
    {
        pending.Append(text);
        var all = pending.ToString();
        var lastNewline = all.LastIndexOf('\n');
        if (lastNewline >= 0)
        {
            foreach (var line in all[..lastNewline].Split('\n'))
            {
                onLine?.Invoke(line.TrimEnd('\r'));
            }

            pending.Clear().Append(all[(lastNewline + 1)..]);
        }

        if (flush && pending.Length > 0)
        {
            onLine?.Invoke(pending.ToString().TrimEnd('\r'));
            pending.Clear();
        }
    }

    // ---------------------------------------------------------------- transport

    private Task<JsonDocument?> GetJsonAsync(string resource, string what, CancellationToken cancellationToken) =>
        _transport.GetJsonAsync(resource, what, cancellationToken);

    private Task<T> ReadAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        _transport.ReadAsync(read, cancellationToken);

    private Task<RestResponse> ExecuteReadAsync(RestRequest request, string what, CancellationToken cancellationToken) =>
        _transport.ExecuteReadAsync(request, what, cancellationToken);

    private Task<RestResponse> PostAsync(string resource, IReadOnlyDictionary<string, string> form, string what, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? query = null) =>
        _transport.PostAsync(resource, form, what, cancellationToken, query);

    private static string? Header(RestResponse response, string name) => JenkinsTransport.Header(response, name);

    private string Relative(string url) => _transport.Relative(url);

    // ---------------------------------------------------------------- parsing

    private JenkinsQueuedBuild QueueItemFrom(string location)
    {
        var uri = new Uri(BaseUrl, location);
        var segments = uri.AbsolutePath.TrimEnd('/').Split('/');
        long? id = long.TryParse(segments[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        return new JenkinsQueuedBuild { QueueId = id, QueueUrl = uri.ToString().TrimEnd('/') + "/" };
    }

    private static JenkinsBuildInfo ParseBuild(JsonElement root, string fallbackUrl)
    {
        static long Long(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : 0;
        return new JenkinsBuildInfo
        {
            Number = (int)Long(root, "number"),
            Url = root.TryGetProperty("url", out var url) && url.GetString() is { Length: > 0 } u ? u : fallbackUrl,
            Building = root.TryGetProperty("building", out var building) && building.ValueKind == JsonValueKind.True,
            Result = root.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.String ? result.GetString() : null,
            EstimatedDuration = TimeSpan.FromMilliseconds(Math.Max(0, Long(root, "estimatedDuration"))),
            Duration = TimeSpan.FromMilliseconds(Math.Max(0, Long(root, "duration"))),
            Started = DateTimeOffset.FromUnixTimeMilliseconds(Long(root, "timestamp")),
            QueueId = root.TryGetProperty("queueId", out var q) && q.TryGetInt64(out var qid) ? qid : null,
            Parameters = ParametersOf(root),
        };
    }

    /// <summary>A history entry, or null when it lacks a number or URL (nothing can be said of it).</summary>
    private static JenkinsHistoryBuild? ParseHistoryBuild(JsonElement build)
    {
        if (build.ValueKind != JsonValueKind.Object
            || !build.TryGetProperty("number", out var number) || !number.TryGetInt32(out var n)
            || !build.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        static long Long(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.TryGetInt64(out var x) ? x : 0;
        static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        string? userId = null, userName = null, upstream = null, description = null;
        int? upstreamBuild = null;
        if (build.TryGetProperty("actions", out var actions) && actions.ValueKind == JsonValueKind.Array)
        {
            foreach (var action in actions.EnumerateArray())
            {
                if (action.ValueKind != JsonValueKind.Object || !action.TryGetProperty("causes", out var causes) || causes.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var cause in causes.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object))
                {
                    description ??= Text(cause, "shortDescription");
                    userId ??= Text(cause, "userId");
                    userName ??= Text(cause, "userName");
                    upstream ??= Text(cause, "upstreamProject");
                    upstreamBuild ??= cause.TryGetProperty("upstreamBuild", out var ub) && ub.TryGetInt32(out var b) ? b : null;
                }
            }
        }

        return new JenkinsHistoryBuild
        {
            Number = n,
            Url = url.GetString()!,
            Building = build.TryGetProperty("building", out var building) && building.ValueKind == JsonValueKind.True,
            Result = Text(build, "result"),
            Started = DateTimeOffset.FromUnixTimeMilliseconds(Long(build, "timestamp")),
            Duration = TimeSpan.FromMilliseconds(Math.Max(0, Long(build, "duration"))),
            Parameters = ParametersOf(build),
            UserId = userId,
            UserName = userName,
            UpstreamProject = upstream,
            UpstreamBuild = upstreamBuild,
            CauseDescription = description,
        };
    }

    private static Dictionary<string, string> ParametersOf(JsonElement item)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!item.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array)
        {
            return found;
        }

        foreach (var action in actions.EnumerateArray())
        {
            if (action.ValueKind != JsonValueKind.Object || !action.TryGetProperty("parameters", out var parameters) || parameters.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var p in parameters.EnumerateArray())
            {
                if (p.TryGetProperty("name", out var name) && name.GetString() is { } key)
                {
                    found[key] = p.TryGetProperty("value", out var value) ? value.ToString() : "";
                }
            }
        }

        return found;
    }

    /// <summary>Every parameter we sent has the same value in the build (Jenkins adds defaults for the rest).</summary>
    private static bool SameParameters(IReadOnlyDictionary<string, string> actual, IReadOnlyDictionary<string, string> sent) =>
        sent.All(p => actual.TryGetValue(p.Key, out var v) && v == p.Value);

    public void Dispose() => _transport.Dispose();
}
