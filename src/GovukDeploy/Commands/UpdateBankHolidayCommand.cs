using System.Management.Automation;
using GovukDeploy.Configuration;
using GovukDeploy.Reporting;
using GovukDeploy.Session;

namespace GovukDeploy.Commands;

/// <summary>Refreshes the cached bank-holiday calendar from GOV.UK's bank-holidays.json feed.</summary>
[Cmdlet(VerbsData.Update, "BankHoliday", SupportsShouldProcess = true, HelpUri = ProjectLinks.DocsRoot + "Update-BankHoliday.md")]
[OutputType(typeof(BankHolidayUpdate))]
public sealed class UpdateBankHolidayCommand : GovukDeployCmdlet
{
    /// <summary>The feed's address; default the BankHolidayFeedUrl setting.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public Uri? Uri { get; set; }

    protected override void ProcessRecordCore()
    {
        var feed = Uri ?? new Uri(Configuration.Require(SettingCatalogue.BankHolidayFeedUrl));
        if (!this.ShouldProcessOrRefuse(feed.ToString(), "Fetch the bank-holiday feed and replace the cached calendar"))
        {
            return;
        }

        var windows = EngineServices.Current.Windows;
        var update = RunOnPipeline(async (reporter, cancellation) =>
        {
            reporter.Progress(new ProgressUpdate(1, "Update-BankHoliday", $"Fetching {feed}"));
            try
            {
                return await windows.RefreshHolidaysAsync(feed, cancellation).ConfigureAwait(false);
            }
            finally
            {
                reporter.Progress(new ProgressUpdate(1, "Update-BankHoliday", "Done", Completed: true));
            }
        });
        WriteVerbose($"Cached {update.FirstYear}-{update.LastYear} bank holidays in {update.CachePath}.");
        WriteObject(update);
    }
}
