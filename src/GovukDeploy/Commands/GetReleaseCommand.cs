using System.Management.Automation;
using GovukDeploy.GitHub;

namespace GovukDeploy.Commands;

/// <summary>
/// Lists release tags, newest first by release number, with their commits and the environments
/// that run them. Many applications are read concurrently; each result is written as it arrives.
/// </summary>
[Cmdlet(VerbsCommon.Get, "Release", DefaultParameterSetName = AllSet)]
[OutputType(typeof(Release))]
public sealed class GetReleaseCommand : GovukDeployCmdlet
{
    private const string AllSet = "All";
    private const string LatestSet = "Latest";
    private const string TagSet = "Tag";
    private readonly List<string> _names = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
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
    public string? Tag { get; set; }

    protected override void ProcessRecordCore() => _names.AddRange(Application!);

    protected override void EndProcessingCore()
    {
        var lookup = Await(ct => Engine.Applications.GetAsync(_names.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), cancellationToken: ct));
        foreach (var missing in lookup.Missing)
        {
            WriteError(ToErrorRecord(missing));
        }

        var applications = lookup.Found;
        if (applications.Count == 0)
        {
            return;
        }

        RunStreaming(async (sink, cancellation) =>
        {
            var deployedTo = await Engine.DeployedToAsync(applications, cancellation).ConfigureAwait(false);
            var gitHub = Engine.GitHub(sink);
            if (Latest)
            {
                await foreach (var result in gitHub.Releases.GetLatestManyAsync(applications, deployedTo, sink, cancellation).ConfigureAwait(false))
                {
                    Emit(sink, result, release => release is null ? [] : [release]);
                }
            }
            else
            {
                await foreach (var result in gitHub.Releases.GetManyAsync(applications, First, Tag, deployedTo, sink, cancellation).ConfigureAwait(false))
                {
                    Emit(sink, result, releases => releases ?? []);
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
