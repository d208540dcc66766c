using System.Management.Automation;
using GovukDeploy.Session;

namespace GovukDeploy.Commands;

/// <summary>Lists the bank holidays that close deploy windows, and where each date came from.</summary>
[Cmdlet(VerbsCommon.Get, "BankHoliday", HelpUri = ProjectLinks.DocsRoot + "Get-BankHoliday.md")]
[OutputType(typeof(BankHoliday))]
public sealed class GetBankHolidayCommand : GovukDeployCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1900, 2200)]
    public int[]? Year { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("england-and-wales", "scotland", "northern-ireland")]
    public string Division { get; set; } = "england-and-wales";

    protected override void ProcessRecordCore()
    {
        var calendar = EngineServices.Current.Windows.Calendar;
        var thisYear = DateTime.UtcNow.Year;
        foreach (var year in Year ?? [thisYear, thisYear + 1])
        {
            WriteObject(calendar.HolidaysIn(year, Division), enumerateCollection: true);
        }
    }
}
