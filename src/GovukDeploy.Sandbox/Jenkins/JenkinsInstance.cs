using GovukDeploy.Sandbox.Faults;

namespace GovukDeploy.Sandbox.Jenkins;

/// <summary>One Jenkins (GOV.UK ran one per environment): its jobs, queue, builds and crumbs.</summary>
public sealed class JenkinsInstance
{
    private readonly Dictionary<string, JenkinsJob> _jobs = new(StringComparer.Ordinal);
    private readonly List<JenkinsJob> _topLevel = [];
    private readonly Dictionary<long, QueueItem> _queue = [];
    private readonly FaultBoard _faults;
    private readonly double _queueSeconds;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Hosting.SandboxUrls _urls;
    private long _nextQueueId;

    public JenkinsInstance(string environment, Hosting.SandboxUrls urls, TimeProvider clock, FaultBoard faults, double queueSeconds)
    {
        Environment = environment;
        _urls = urls;
        Clock = clock;
        _faults = faults;
        _queueSeconds = queueSeconds;
        Crumbs = new JenkinsCrumbs(environment);
        // Queue ids are large and differ between instances, as on a long-running Jenkins.
        _nextQueueId = 1000 * (1 + Math.Abs(environment.GetHashCode() % 90));
    }

    public string Environment { get; }
    /// <summary>Absolute URL of this Jenkins, ending in '/'.</summary>
    public string RootUrl => $"{_urls.Base}jenkins/{Environment}/";
    public TimeProvider Clock { get; }
    public JenkinsCrumbs Crumbs { get; }
    public object Sync { get; } = new();

    public IReadOnlyList<JenkinsJob> TopLevelJobs
    {
        get
        {
            lock (Sync)
            {
                return _topLevel.ToList();
            }
        }
    }

    /// <summary>Adds a job, creating any folders in its path ("a/b/c").</summary>
    public JenkinsJob AddJob(string fullName, JobKind kind, IReadOnlyList<ParameterDefinition>? parameters = null,
        BuildScript? script = null, string description = "", JobKind folderKind = JobKind.Folder)
    {
        lock (Sync)
        {
            if (_jobs.TryGetValue(fullName, out var existing))
            {
                return existing;
            }
            var slash = fullName.LastIndexOf('/');
            var parent = slash < 0 ? null : AddJob(fullName[..slash], folderKind);
            var job = new JenkinsJob
            {
                Name = slash < 0 ? fullName : fullName[(slash + 1)..],
                FullName = fullName,
                Kind = kind,
                Parameters = parameters ?? [],
                Script = script,
                Description = description,
            };
            _jobs[fullName] = job;
            (parent?.Children ?? _topLevel).Add(job);
            return job;
        }
    }

    public JenkinsJob? FindJob(string fullName)
    {
        lock (Sync)
        {
            return _jobs.GetValueOrDefault(fullName);
        }
    }

    public string JobUrl(JenkinsJob job) => RootUrl + string.Concat(job.FullName.Split('/').Select(n => $"job/{Uri.EscapeDataString(n)}/"));

    public string BuildUrl(JenkinsBuild build) => $"{JobUrl(build.Job)}{build.Number}/";

    public string QueueUrl(QueueItem item) => $"{RootUrl}queue/item/{item.Id}/";

    public QueueItem? FindQueueItem(long id)
    {
        lock (Sync)
        {
            return _queue.GetValueOrDefault(id);
        }
    }

    /// <summary>Puts a build in the queue; after the quiet period it starts (or is cancelled).</summary>
    public QueueItem Schedule(JenkinsJob job, IReadOnlyDictionary<string, string> supplied, BuildCause cause, Action<JenkinsBuild>? onCompleted = null)
    {
        if (job.IsContainer || job.Script is null)
        {
            throw new InvalidOperationException($"{job.FullName} is not a buildable job.");
        }

        // Like Jenkins, only defined parameters are kept, with defaults for the ones left out.
        var parameters = job.Parameters
            .Select(p => new KeyValuePair<string, string>(p.Name, supplied.TryGetValue(p.Name, out var v) ? v : p.DefaultValue))
            .ToList();
        QueueItem item;
        lock (Sync)
        {
            var now = Clock.GetUtcNow();
            item = new QueueItem
            {
                Id = ++_nextQueueId,
                Job = job,
                Parameters = parameters,
                Cause = cause,
                InQueueSince = now,
                BuildableAt = now.AddSeconds(_queueSeconds),
                OnCompleted = onCompleted,
            };
            _queue[item.Id] = item;
        }

        _ = Task.Run(() => RunAsync(item));
        return item;
    }

    /// <summary>Cancels a waiting queue item: true if cancelled, false if it had already left the queue, null if unknown.</summary>
    public bool? CancelQueueItem(long id)
    {
        lock (Sync)
        {
            if (!_queue.TryGetValue(id, out var item))
            {
                return null;
            }
            if (item.Left)
            {
                return false;
            }
            item.Cancelled = true;
            return true;
        }
    }

    public void StopBuild(JenkinsBuild build, string? user)
    {
        lock (Sync)
        {
            if (!build.Building)
            {
                return;
            }
            build.StoppedBy = user ?? "anonymous";
        }
        build.Stop.Cancel();
    }

    public void Shutdown()
    {
        _shutdown.Cancel();
        lock (Sync)
        {
            foreach (var build in _jobs.Values.SelectMany(j => j.Builds).Where(b => b.Building))
            {
                build.StoppedBy ??= "shutdown";
                build.Stop.Cancel();
            }
        }
    }

    /// <summary>
    /// Inserts builds that already happened. While the job has no build of its own yet, all of
    /// its seeded builds are numbered afresh in time order, so that numbers grow with time across
    /// every app seeded; after that, later history can only take the next numbers.
    /// </summary>
    public void AddHistory(JenkinsJob job, IEnumerable<PastBuild> past)
    {
        lock (Sync)
        {
            var added = past.OrderBy(p => p.Timestamp).Select(p => HistoricBuild(job, p)).ToList();
            if (added.Count == 0)
            {
                return;
            }
            if (job.Builds.All(b => b.Seeded))
            {
                // OrderBy is stable: builds at the same moment keep the order they were given in.
                var first = job.Builds.Count == 0 ? job.NextBuildNumber : job.Builds.Min(b => b.Number);
                var all = job.Builds.OrderBy(b => b.Number).Concat(added).OrderBy(b => b.Timestamp).ToList();
                for (var i = 0; i < all.Count; i++)
                {
                    all[i].Renumber(first + i);
                }
                job.NextBuildNumber = first + all.Count;
            }
            else
            {
                foreach (var build in added)
                {
                    build.Renumber(job.NextBuildNumber++);
                }
            }
            job.Builds.AddRange(added);
            // Jenkins lists a job's builds newest (highest number) first.
            job.Builds.Sort((a, b) => b.Number.CompareTo(a.Number));
        }
    }

    /// <summary>A finished build made from the past, not yet numbered; callers hold the lock.</summary>
    private JenkinsBuild HistoricBuild(JenkinsJob job, PastBuild past)
    {
        var build = new JenkinsBuild
        {
            Job = job,
            Number = 0,
            QueueId = ++_nextQueueId,
            Parameters = past.Parameters,
            Cause = past.Cause,
            Timestamp = past.Timestamp,
            EstimatedDurationMs = job.EstimatedDurationMs,
            Past = past,
            Building = false,
            Result = past.Result,
            DurationMs = past.DurationMs,
        };
        StartLog(build);
        foreach (var line in past.Console)
        {
            build.AppendLog(line);
        }
        build.AppendLog($"Finished: {past.Result}");
        return build;
    }

    /// <summary>The lines Jenkins writes before a build's own output.</summary>
    private static void StartLog(JenkinsBuild build)
    {
        build.AppendLog(build.Cause.ShortDescription);
        build.AppendLog("Running as SYSTEM");
        build.AppendLog($"Building on the built-in node in workspace /var/lib/jenkins/workspace/{build.Job.FullName.Replace('/', '_')}");
    }

    private async Task RunAsync(QueueItem item)
    {
        try
        {
            var wait = item.BuildableAt - Clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, Clock, _shutdown.Token);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        JenkinsBuild build;
        lock (Sync)
        {
            if (item.Cancelled)
            {
                return;
            }
            if (_faults.Take("jenkins", "queue-cancel", Environment) is not null)
            {
                item.Cancelled = true;
                return;
            }

            var job = item.Job;
            // Seeded durations are GOV.UK's real ones; the estimate must match how long builds take here.
            var estimate = job.Builds.FirstOrDefault(b => b.Result == "SUCCESS" && !b.Seeded)?.DurationMs ?? job.EstimatedDurationMs;
            build = new JenkinsBuild
            {
                Job = job,
                Number = job.NextBuildNumber++,
                QueueId = item.Id,
                Parameters = item.Parameters,
                Cause = item.Cause,
                Timestamp = Clock.GetUtcNow(),
                EstimatedDurationMs = estimate,
            };
            job.Builds.Insert(0, build);
            item.Build = build;
            StartLog(build);
        }

        string result;
        var run = new BuildRun(this, build);
        try
        {
            result = await build.Job.Script!(run);
        }
        catch (OperationCanceledException)
        {
            result = "ABORTED";
            run.Log($"Aborted by {build.StoppedBy ?? "anonymous"}");
        }
        catch (Exception e)
        {
            result = "FAILURE";
            run.Log($"ERROR: {e.Message}");
        }

        lock (Sync)
        {
            build.AppendLog($"Finished: {result}");
            build.Result = result;
            build.DurationMs = Math.Max(1, (long)(Clock.GetUtcNow() - build.Timestamp).TotalMilliseconds);
            build.Building = false;
        }

        try
        {
            item.OnCompleted?.Invoke(build);
        }
        catch (Exception)
        {
            // A follow-on action must not take the Jenkins down with it.
        }
    }
}
