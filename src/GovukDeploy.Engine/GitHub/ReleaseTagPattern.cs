using System.Globalization;
using GovukDeploy.Errors;
using Semver;

namespace GovukDeploy.GitHub;

/// <summary>
/// An application's release tag pattern, such as release_* (GOV.UK's default) or v*: a literal
/// prefix, a '*' standing for the release, and an optional literal suffix. The release is either
/// a number (digits only: release_100 is newer than release_99) or a SemVer 2.0 version ordered by
/// its precedence (v1.12.0 is newer than v1.9.0, and v1.10.0-rc1 older than v1.10.0).
/// </summary>
public sealed class ReleaseTagPattern
{
    public const string Default = "release_*";

    private ReleaseTagPattern(string text, string prefix, string suffix)
    {
        Text = text;
        Prefix = prefix;
        Suffix = suffix;
    }

    public string Text { get; }

    /// <summary>The literal part before the number; GitHub is asked only for tags starting with it.</summary>
    public string Prefix { get; }
    public string Suffix { get; }

    public static ReleaseTagPattern Parse(string? pattern)
    {
        var text = string.IsNullOrWhiteSpace(pattern) ? Default : pattern.Trim();
        var star = text.IndexOf('*');
        if (star < 0)
        {
            // "release_" means release_N, as if the star had been written.
            return new ReleaseTagPattern(text + "*", text, "");
        }
        if (text.IndexOf('*', star + 1) >= 0 || text.IndexOfAny(['?', '[', ' ']) >= 0)
        {
            throw ErrorCatalogue.InvalidReleaseTagPattern(text);
        }
        return new ReleaseTagPattern(text, text[..star], text[(star + 1)..]);
    }

    /// <summary>The release number in <paramref name="tag"/>, or null when the tag is not a numbered release (v1.2.3 has none).</summary>
    public long? NumberOf(string tag) => RankOf(tag)?.Number;

    /// <summary>Where <paramref name="tag"/> stands among the releases, or null when the tag is not a release.</summary>
    public ReleaseRank? RankOf(string tag)
    {
        if (tag.Length <= Prefix.Length + Suffix.Length ||
            !tag.StartsWith(Prefix, StringComparison.Ordinal) || !tag.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return null;
        }
        var release = tag.Substring(Prefix.Length, tag.Length - Prefix.Length - Suffix.Length);
        if (release.All(c => c is >= '0' and <= '9'))
        {
            return long.TryParse(release, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? new ReleaseRank(number, null) : null;
        }
        // Strict: exactly MAJOR.MINOR.PATCH, with optional -prerelease and +build, as SemVer 2.0 defines them.
        return SemVersion.TryParse(release, SemVersionStyles.Strict, out var version) ? new ReleaseRank(null, version) : null;
    }

    /// <summary>Whether <paramref name="tag"/> is one of this pattern's releases.</summary>
    public bool IsRelease(string tag) => RankOf(tag) is not null;

    /// <summary>
    /// Orders tags newest first: releases by their rank, non-releases last, and tags of equal rank
    /// (v1.2.0+a and v1.2.0+b) by name, so that the order never depends on the order GitHub listed them in.
    /// </summary>
    public IComparer<string> NewestFirst => Comparer<string>.Create((a, b) =>
    {
        var (rankA, rankB) = (RankOf(a), RankOf(b));
        var byRank = (rankB, rankA) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            _ => rankB.CompareTo(rankA),
        };
        return byRank != 0 ? byRank : string.CompareOrdinal(b, a);
    });

    public override string ToString() => Text;
}

/// <summary>
/// A release's place in order: its number (release_100) or its SemVer 2.0 version (v1.12.0).
/// A number N stands where version N.0.0 would, so that a pattern whose tags changed style still orders.
/// </summary>
public sealed class ReleaseRank : IComparable<ReleaseRank>
{
    private readonly long? _number;
    private readonly SemVersion? _version;

    internal ReleaseRank(long? number, SemVersion? version)
    {
        _number = number;
        _version = version;
    }

    /// <summary>The release number, or null when the release is a version.</summary>
    public long? Number => _number;

    /// <summary>The version as written in the tag, or null when the release is a number.</summary>
    public string? Version => _version?.ToString();

    public int CompareTo(ReleaseRank? other)
    {
        if (other is null)
        {
            return 1;
        }
        if (_number is { } mine && other._number is { } theirs)
        {
            return mine.CompareTo(theirs);
        }
        return SemVersion.ComparePrecedence(AsVersion(), other.AsVersion());
    }

    private SemVersion AsVersion() => _version ?? new SemVersion(_number!.Value, 0, 0);

    public override string ToString() => Version ?? _number!.Value.ToString(CultureInfo.InvariantCulture);
}
