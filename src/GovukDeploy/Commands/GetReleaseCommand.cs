using System.Management.Automation;
using GovukDeploy.GitHub;

namespace GovukDeploy.Commands;

/// <summary>
/// Lists release tags, newest first by release number, with their commits and the environments
/// that run them. Many applications are read concurrently; each result is written as it arrives.
/// </summary>
[Cmdlet(VerbsCommon.Get, "Release", DefaultParameterSetName = AllSet, HelpUri = ProjectLinks.DocsRoot + "Get-Release.md")]
[OutputType(typeof(Release))]
public sealed class GetReleaseCommand : GovukDeployCmdlet
{
    private const string AllSet = "All";
    private const string LatestSet = "Latest";
    private const string TagSet = "Tag";
    private readonly List<(string Name, string? Tag)> _requests = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string[]? Application { get; set; }

    /// <summary>Only the newest release of each application.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LatestSet)]
    public SwitchParameter Latest { get; set; }

    /// <summary>Only the newest N releases of each application.</summary>
    [Parameter(ParameterSetName = AllSet)]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    /// <summary>One release, by its tag.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TagSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Release")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReleaseCompleter))]
    public string? Tag { get; set; }

    /// <summary>The store alone for DeployedTo: Jenkins is not read, and a warning says how old the store's view is.</summary>
    [Parameter]
    public SwitchParameter Offline { get; set; }

    // Each record's -Tag belongs to that record's applications (Get-Deployment | Get-Release).
    protected override void ProcessRecordCore() => _requests.AddRange(Application!.Select(name => (name, Tag)));

    private static bool Matches(string name, string requested) => WildcardPattern.ContainsWildcardCharacters(requested)
        ? WildcardPattern.Get(requested, WildcardOptions.IgnoreCase).IsMatch(name)
        : name.Equals(requested, StringComparison.OrdinalIgnoreCase);

    protected override void EndProcessingCore()
    {
        var names = _requests.Select(r => r.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var lookup = Await(ct => Engine.Applications.GetAsync(names, cancellationToken: ct));
        foreach (var missing in lookup.Missing)
        {
            WriteError(ToErrorRecord(missing));
        }

        // Applications that share a tag (usually all of them: none) are read together; a pattern stands for every application it matches.
        var groups = _requests
            .SelectMany(r => lookup.Found.Where(a => Matches(a.Name, r.Name)).Select(a => (r.Tag, Application: a)))
            .GroupBy(r => r.Tag)
            .Select(g => (Tag: g.Key, Applications: g.Select(r => r.Application).DistinctBy(a => a.Name).ToList()))
            .ToList();
        if (groups.Count == 0)
        {
            return;
        }

        RunStreaming(async (sink, cancellation) =>
        {
            var gitHub = Engine.GitHub(sink);
            foreach (var (tag, applications) in groups)
            {
                var running = await Engine.RunningAsync(applications, Offline, Offline ? null : gitHub, sink, cancellation).ConfigureAwait(false);
                ReportObservation(sink, running.Observation, Offline);
                var deployedTo = Session.EngineServices.DeployedTo(running);
                if (Latest)
                {
                    await foreach (var result in gitHub.Releases.GetLatestManyAsync(applications, deployedTo, sink, cancellation).ConfigureAwait(false))
                    {
                        Emit(sink, result, release => release is null ? [] : [release]);
                    }
                }
                else
                {
                    await foreach (var result in gitHub.Releases.GetManyAsync(applications, First, tag, deployedTo, sink, cancellation).ConfigureAwait(false))
                    {
                        Emit(sink, result, releases => releases ?? []);
                    }
                }
            }
        });
    }

    private static void Emit<T>(IPipelineSink sink, GitHubBatchResult<T> result, Func<T?, IEnumerable<Release>> releases)
    {
        if (result.Error is not null)
        {
            sink.Error(result.Error);
            return;
        }

        var any = false;
        foreach (var release in releases(result.Value))
        {
            any = true;
            sink.Output(release);
        }

        if (!any)
        {
            sink.Warning($"{result.Application.Name} ({result.Application.Repository}) has no tags matching its release pattern '{result.Application.ReleaseTagPattern}'.");
        }
    }
}
