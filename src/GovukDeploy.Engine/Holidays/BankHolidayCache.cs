using GovukDeploy.Errors;
using GovukDeploy.Platform;

namespace GovukDeploy.Holidays;

/// <summary>The copy of GOV.UK's feed kept between sessions, written whole or not at all.</summary>
public sealed class BankHolidayCache
{
    public const string FileName = "bank-holidays.json";

    public BankHolidayCache(string? path = null)
    {
        FilePath = path ?? Path.Combine(PlatformPaths.CacheDirectory, FileName);
    }

    public string FilePath { get; }

    public bool Exists => File.Exists(FilePath);

    /// <summary>The cached feed, or null when none has been fetched. A damaged cache is an error, not a silent fallback.</summary>
    public BankHolidayFeed? TryLoad()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(FilePath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ErrorCatalogue.HolidayCacheUnreadable(FilePath, ex.Message, ex);
        }

        try
        {
            return BankHolidayFeed.Parse(bytes, FilePath);
        }
        catch (GovukDeployException ex)
        {
            throw ErrorCatalogue.HolidayFeedInvalid(FilePath, $"the cached copy is damaged ({ex.Data[BankHolidayFeed.ProblemKey] ?? ex.Message})",
                "Run Update-BankHoliday to fetch it again, or delete the file to use the built-in calendar.", ex);
        }
    }

    /// <summary>
    /// Replaces the cache with <paramref name="utf8Json"/> (already validated): written to a temporary
    /// file beside it and renamed over it, so a reader never sees half a file and a failure leaves the old copy.
    /// </summary>
    public void Save(ReadOnlySpan<byte> utf8Json)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(FilePath))!;
        var temporary = Path.Combine(directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(utf8Json);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, FilePath, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw ErrorCatalogue.HolidayCacheWriteFailed(FilePath, ex.Message, ex);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stray temporary file is harmless and named so nothing reads it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
