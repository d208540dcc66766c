using GovukDeploy.Holidays;

namespace GovukDeploy.Errors;

/// <summary>Deploy windows, their policies, and the bank-holiday calendar they close on.</summary>
public static partial class ErrorCatalogue
{
    /// <summary><paramref name="environment"/> is null when the DeployWindowPolicies setting as a whole is wrong.</summary>
    public static GovukDeployException InvalidWindowPolicy(string? environment, string problem, object? target, Exception? inner = null) => new(
        nameof(InvalidWindowPolicy), ErrorKind.InvalidArgument,
        $"{(environment is null ? "The DeployWindowPolicies setting" : $"The deploy-window policy for '{environment}'")} is not valid: {problem}",
        target, inner);

    public static GovukDeployException InvalidDuration(TimeSpan? duration) => new(
        nameof(InvalidDuration), ErrorKind.InvalidArgument,
        $"The deploy duration {duration} is negative. Give how long the deploy takes, e.g. 00:30:00.", duration);

    public static GovukDeployException InvalidDayCount(int days, int max) => new(
        nameof(InvalidDayCount), ErrorKind.InvalidArgument,
        $"{days} is not a number of days to list windows for. Give a number from 1 to {max}.", days);

    public static GovukDeployException UnknownHolidayDivision(string? value, IEnumerable<string> divisions) => new(
        nameof(UnknownHolidayDivision), ErrorKind.InvalidArgument,
        $"'{value}' is not a bank-holiday division. Use one of: {List(divisions)}.", value);

    public static GovukDeployException InvalidHolidayFeedUri(Uri uri) => new(
        nameof(InvalidHolidayFeedUri), ErrorKind.InvalidArgument,
        $"'{uri}' is not an http or https address. Give the full address of a bank-holidays.json feed.", uri);

    /// <summary>A feed (or the cached copy of one) that cannot be used; the bare problem is kept in Data for callers that reword it.</summary>
    public static GovukDeployException HolidayFeedInvalid(string origin, string problem, string advice, Exception? inner = null)
    {
        var error = new GovukDeployException(nameof(HolidayFeedInvalid), ErrorKind.InvalidData,
            $"The bank-holiday feed from {origin} cannot be used: {problem}. {advice}", origin, inner);
        error.Data[BankHolidayFeed.ProblemKey] = problem;
        return error;
    }

    public static GovukDeployException HolidayFeedUnavailable(Uri uri, string why, Exception? inner = null) => new(
        nameof(HolidayFeedUnavailable), ErrorKind.ConnectionError,
        $"The bank-holiday feed at {uri} could not be fetched ({why}). Check the address (Update-BankHoliday -Uri), your network and any proxy, then try again; the cached calendar is unchanged.",
        uri, inner);

    public static GovukDeployException HolidayFeedTimeout(Uri uri, TimeSpan timeout, Exception? inner = null) => new(
        nameof(HolidayFeedTimeout), ErrorKind.OperationTimeout,
        $"The bank-holiday feed at {uri} did not answer within {timeout.TotalSeconds:0.#} s. Try again later or check your proxy settings; the cached calendar is unchanged.",
        uri, inner);

    public static GovukDeployException HolidayCacheUnreadable(string path, string why, Exception? inner = null) => new(
        nameof(HolidayCacheUnreadable), ErrorKind.ReadError,
        $"The cached bank-holiday feed at {path} cannot be read: {why}. Check its permissions, or delete it to use the built-in calendar.", path, inner);

    public static GovukDeployException HolidayCacheWriteFailed(string path, string why, Exception? inner = null) => new(
        nameof(HolidayCacheWriteFailed), ErrorKind.WriteError,
        $"The bank-holiday feed could not be saved to {path}: {why}. Check that the cache folder is writable; the previous copy is unchanged.", path, inner);
}
