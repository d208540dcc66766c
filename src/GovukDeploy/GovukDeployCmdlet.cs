using System.Collections.Concurrent;
using System.Management.Automation;
using GovukDeploy.Configuration;
using GovukDeploy.Errors;
using GovukDeploy.Reporting;

namespace GovukDeploy.Commands;

/// <summary>
/// Where streaming engine work sends its results and per-item errors. Internal, like every
/// type here that builds on an engine type: PowerShell loads the public types of this
/// assembly while it imports it, before the engine can be resolved.
/// </summary>
internal interface IPipelineSink : IOperationReporter
{
    void Output(object value);

    void Error(GovukDeployException error);

    /// <summary>
    /// Runs <paramref name="question"/> on the pipeline thread (where ShouldProcess and ShouldContinue may
    /// be called) and gives its answer, or its exception, back to the engine work waiting for it.
    /// </summary>
    Task<T> AskAsync<T>(Func<T> question);
}

/// <summary>
/// What every GovukDeploy cmdlet shares: engine failures become ErrorRecords with
/// their stable ErrorId, category and target; Ctrl+C cancels a token that engine
/// work honours; and background work reports back through a queue that only the
/// pipeline thread drains.
/// </summary>
public abstract class GovukDeployCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken Cancellation => _stopping.Token;

    protected static DeployConfiguration Configuration => DeployConfiguration.Current;

    // A failure before any input is processed stops the whole command, as PowerShell's own cmdlets do;
    // later failures are per item, except those that would fail every item alike (see StopsTheCommand).
    protected sealed override void BeginProcessing() => Guard(BeginProcessingCore, terminating: true);

    protected sealed override void ProcessRecord() => Guard(ProcessRecordCore, terminating: false);

    protected sealed override void EndProcessing() => Guard(EndProcessingCore, terminating: false);

    protected virtual void BeginProcessingCore() { }

    protected virtual void ProcessRecordCore() { }

    protected virtual void EndProcessingCore() { }

    protected override void StopProcessing() => _stopping.Cancel();

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// An engine failure as an ErrorRecord: its ErrorId, the matching category, the offending value, and
    /// as its exception a <see cref="GovukDeployError"/>, the one type a script can name in a catch. The
    /// message shows control characters rather than obeying them; the advice is the RecommendedAction.
    /// </summary>
    protected static ErrorRecord ToErrorRecord(GovukDeployException exception)
    {
        var category = Enum.TryParse<ErrorCategory>(exception.Kind.ToString(), out var parsed) ? parsed : ErrorCategory.NotSpecified;
        var message = TerminalText.Visible(exception.Message, keepLineBreaks: true);
        var advice = ErrorAdvice.From(message);
        var error = new GovukDeployError(exception.ErrorId, exception.Kind.ToString(), message, exception.Target, advice, exception);
        return new ErrorRecord(error, exception.ErrorId, category, exception.Target)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = advice },
        };
    }

    /// <summary>
    /// Failures that leave the command nothing it can do for any input: a configuration file that cannot
    /// be used, or no store. They end the command (a terminating error) wherever they arise.
    /// </summary>
    private static bool StopsTheCommand(GovukDeployException exception) => exception.ErrorId is
        "ConfigFileCorrupt" or "StoreUnavailable" or "StoreUnreachable" or "StoreAuthenticationFailed"
        or "StoreDatabaseNotFound" or "StorePermissionDenied" or "StoreCorrupt" or "StoreSchemaTooNew";

    // Every line GovukDeploy writes to the terminal shows control characters rather than obeying them,
    // however it got there (a freeze reason, a Release app note, a Jenkins job's output).
    protected new void WriteWarning(string text) => base.WriteWarning(TerminalText.WarningLines(text));

    protected new void WriteVerbose(string text) => base.WriteVerbose(TerminalText.Visible(text));

    protected new void WriteDebug(string text) => base.WriteDebug(TerminalText.Visible(text));

    protected void ThrowTerminating(GovukDeployException exception) => ThrowTerminatingError(ToErrorRecord(exception));

    protected static Session.EngineServices Engine => Session.EngineServices.Current;

    /// <summary>Waits for engine work that reports nothing while it runs; Ctrl+C cancels it.</summary>
    protected T Await<T>(Func<CancellationToken, Task<T>> work) => work(Cancellation).GetAwaiter().GetResult();

    protected void Await(Func<CancellationToken, Task> work) => work(Cancellation).GetAwaiter().GetResult();

    /// <summary>
    /// Runs engine work off the pipeline thread and, while it runs, replays what it
    /// reports (progress, verbose, warnings, information) on the pipeline thread.
    /// </summary>
    protected T RunOnPipeline<T>(Func<IOperationReporter, CancellationToken, Task<T>> work)
    {
        using var queue = new BlockingCollection<Action>();
        var reporter = new QueuedReporter(queue, this);
        var task = Task.Run(() => work(reporter, Cancellation), Cancellation);
        task.ContinueWith(_ => queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        foreach (var action in queue.GetConsumingEnumerable())
        {
            action();
        }

        return task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// As RunOnPipeline, for work that yields results as they arrive: each object the work
    /// emits is written on the pipeline thread straight away, and each error becomes a
    /// non-terminating ErrorRecord, so one failure does not stop the rest.
    /// </summary>
    private protected void RunStreaming(Func<IPipelineSink, CancellationToken, Task> work)
    {
        RunOnPipeline<bool>(async (reporter, cancellation) =>
        {
            await work((IPipelineSink)reporter, cancellation).ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>
    /// Says how much the store knows of what runs: a warning for each environment that could not be
    /// read (with the age of the view shown instead), and, offline, how old the view is.
    /// </summary>
    private protected static void ReportObservation(IOperationReporter reporter, Observed.SyncReport report, bool offline)
    {
        var now = Engine.Now;
        foreach (var environment in report.Environments.Where(e => !e.Known))
        {
            reporter.Warning($"What runs in {environment.Environment} is unknown; showing the store's last view. {environment.Describe(now)}");
        }

        if (offline)
        {
            reporter.Warning("-Offline: the store alone, as last read from Jenkins (" + string.Join("; ", report.Environments.Select(e => e.Describe(now))) + ").");
        }
        else if (!report.FromStore)
        {
            reporter.Verbose($"Read Jenkins' deploy history: {report.BuildsRead} build(s), {report.Added} new, {report.Updated} updated, {report.Skipped} skipped.");
        }
    }

    /// <summary>Prints a line for the user, as Write-Host does (the Information stream, tagged PSHOST), with no control characters.</summary>
    private protected void WriteHostLine(string text) =>
        WriteInformation(new HostInformationMessage { Message = TerminalText.Clean(text) }, ["PSHOST"]);

    private void Guard(Action action, bool terminating)
    {
        try
        {
            action();
        }
        catch (GovukDeployException exception)
        {
            if (terminating || StopsTheCommand(exception))
            {
                ThrowTerminatingError(ToErrorRecord(exception));
            }

            WriteError(ToErrorRecord(exception));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception unexpected) when (unexpected is not RuntimeException and not OperationCanceledException)
        {
            // Something the engine did not foresee still gets a stable ErrorId, for runbooks to match.
            WriteError(ToErrorRecord(ErrorCatalogue.UnexpectedError(MyInvocation.MyCommand.Name, unexpected)));
        }
    }

    /// <summary>Turns reporter calls into actions for the pipeline thread.</summary>
    private sealed class QueuedReporter(BlockingCollection<Action> queue, PSCmdlet cmdlet) : IPipelineSink
    {
        public void Output(object value) => Post(c => c.WriteObject(value));

        public void Error(GovukDeployException error) => Post(c => c.WriteError(ToErrorRecord(error)));

        public void Progress(ProgressUpdate update) => Post(c =>
        {
            var record = new ProgressRecord(update.ActivityId, update.Activity, string.IsNullOrEmpty(update.Status) ? "..." : update.Status)
            {
                PercentComplete = update.PercentComplete,
                RecordType = update.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            if (update.ParentActivityId is { } parent)
            {
                record.ParentActivityId = parent;
            }

            c.WriteProgress(record);
        });

        public Task<T> AskAsync<T>(Func<T> question)
        {
            var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            Post(_ =>
            {
                try
                {
                    answer.SetResult(question());
                }
                catch (Exception e)
                {
                    answer.SetException(e);
                }
            });
            // Work that finished already has no one to ask: the question is not asked, and nothing is done.
            if (queue.IsAddingCompleted)
            {
                answer.TrySetCanceled();
            }

            return answer.Task;
        }

        public void Verbose(string message) => Post(c => c.WriteVerbose(TerminalText.Visible(message)));

        public void Information(string message) => Post(c => c.WriteInformation(TerminalText.Visible(message), ["GovukDeploy"]));

        public void Warning(string message) => Post(c => c.WriteWarning(TerminalText.WarningLines(message)));

        private void Post(Action<PSCmdlet> action)
        {
            // Reports that arrive after the work finished have nowhere to go.
            if (!queue.IsAddingCompleted)
            {
                try
                {
                    queue.Add(() => action(cmdlet));
                }
                catch (InvalidOperationException)
                {
                }
            }
        }
    }
}
