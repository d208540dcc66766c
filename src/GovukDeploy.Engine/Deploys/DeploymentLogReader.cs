using System.Text;
using GovukDeploy.Errors;
using GovukDeploy.Jenkins;
using GovukDeploy.Reporting;

namespace GovukDeploy.Deploys;

/// <summary>
/// Get-DeploymentLog: a deploy's Jenkins console, read with logText/progressiveText and handed on a
/// line at a time (all of it, or the last few lines), following a build that is still running until
/// it ends. Console text is service text: control characters are made visible and its size is bounded.
/// </summary>
public sealed class DeploymentLogReader
{
    /// <summary>Longer lines are cut: a console line longer than this is a dump, not something to read.</summary>
    public const int MaxLineLength = 8_000;

    /// <summary>At most this much console is read; more stops with a warning that says where to see the rest.</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    private readonly JenkinsClientFactory _jenkins;
    private readonly TimeSpan _pollInterval;
    private readonly long _maxBytes;

    public DeploymentLogReader(JenkinsClientFactory jenkins, TimeSpan? pollInterval = null, long maxBytes = DefaultMaxBytes)
    {
        _jenkins = jenkins;
        _pollInterval = pollInterval ?? TimeSpan.FromSeconds(1);
        _maxBytes = maxBytes;
    }

    /// <summary>
    /// Hands each line of <paramref name="deployment"/>'s console to <paramref name="output"/>: every line,
    /// or with <paramref name="tail"/> the last that many of the console so far and then any that follow.
    /// </summary>
    public async Task ReadAsync(Deployment deployment, int? tail, Action<DeploymentLogLine> output, IOperationReporter reporter,
        CancellationToken cancellationToken)
    {
        if (tail is < 0)
        {
            throw ErrorCatalogue.InvalidTail(tail.Value);
        }
        if (string.IsNullOrWhiteSpace(deployment.BuildUrl))
        {
            throw BuildNotRecorded(deployment);
        }

        var client = _jenkins.For(deployment.Environment);
        var buildUrl = deployment.BuildUrl;
        var lines = new LineSplitter(deployment, buildUrl);
        // With -Tail, lines wait here until the console so far has been read; only the last few are kept.
        var held = tail is { } n ? new Queue<DeploymentLogLine>(Math.Min(n, 1024) + 1) : null;
        void Emit(DeploymentLogLine line)
        {
            if (held is null)
            {
                output(line);
                return;
            }
            held.Enqueue(line);
            if (held.Count > tail)
            {
                held.Dequeue();
            }
        }

        long start = 0;
        var following = false;
        try
        {
            while (true)
            {
                var chunk = await client.TryReadConsoleAsync(buildUrl, start, cancellationToken).ConfigureAwait(false)
                    ?? throw BuildGone(deployment, buildUrl);
                foreach (var line in lines.Add(chunk.Text))
                {
                    Emit(line);
                }
                var advanced = chunk.NextStart > start;
                start = Math.Max(start, chunk.NextStart);

                if (start >= _maxBytes)
                {
                    reporter.Warning($"The console of {buildUrl} is longer than {_maxBytes / (1024 * 1024)} MB; only that much was read. See the rest in Jenkins: {buildUrl}console");
                    break;
                }
                if (!chunk.MoreData)
                {
                    break;
                }
                if (!advanced && !following)
                {
                    // Caught up with a build that is still running: what is held is the tail so far.
                    Flush(held, output);
                    held = null;
                    following = true;
                    reporter.Progress(new ProgressUpdate(1, "Get-DeploymentLog", $"Following the console of {deployment.Application} in {deployment.Environment} until its build ends"));
                }
                if (following)
                {
                    await Task.Delay(_pollInterval, cancellationToken).ConfigureAwait(false);
                }
            }
            if (lines.Rest() is { } last)
            {
                Emit(last);
            }
            Flush(held, output);
        }
        finally
        {
            if (following)
            {
                reporter.Progress(new ProgressUpdate(1, "Get-DeploymentLog", "Done", Completed: true));
            }
        }
    }

    private static void Flush(Queue<DeploymentLogLine>? held, Action<DeploymentLogLine> output)
    {
        while (held is { Count: > 0 })
        {
            output(held.Dequeue());
        }
    }

    public static GovukDeployException BuildNotRecorded(Deployment deployment) => ErrorCatalogue.DeploymentBuildNotRecorded(deployment);

    private static GovukDeployException BuildGone(Deployment deployment, string buildUrl) => ErrorCatalogue.DeploymentBuildGone(deployment, buildUrl);

    /// <summary>Cuts console text into lines across chunks, numbering them and making them fit for a terminal.</summary>
    private sealed class LineSplitter(Deployment deployment, string buildUrl)
    {
        private readonly StringBuilder _partial = new();
        private long _number;

        public List<DeploymentLogLine> Add(string text)
        {
            var complete = new List<DeploymentLogLine>();
            var from = 0;
            while (from < text.Length)
            {
                var end = text.IndexOf('\n', from);
                if (end < 0)
                {
                    // Held until its end arrives, but never more than a line's worth.
                    Append(text.AsSpan(from));
                    break;
                }
                Append(text.AsSpan(from, end - from));
                complete.Add(Line());
                from = end + 1;
            }
            return complete;
        }

        /// <summary>The last line, when the console does not end with a newline.</summary>
        public DeploymentLogLine? Rest() => _partial.Length > 0 ? Line() : null;

        private void Append(ReadOnlySpan<char> text)
        {
            var room = MaxLineLength + 1 - _partial.Length;
            if (room > 0)
            {
                _partial.Append(text[..Math.Min(room, text.Length)]);
            }
        }

        private DeploymentLogLine Line()
        {
            var text = _partial.ToString();
            _partial.Clear();
            // A Windows agent ends lines with CR LF: the CR is part of the line ending, not of the text.
            if (text.EndsWith('\r'))
            {
                text = text[..^1];
            }
            if (text.Length > MaxLineLength)
            {
                text = text[..MaxLineLength] + "…";
            }
            return new DeploymentLogLine
            {
                Application = deployment.Application,
                Environment = deployment.Environment,
                BuildUrl = buildUrl,
                LineNumber = ++_number,
                Text = VisibleText.Of(text),
            };
        }
    }
}
