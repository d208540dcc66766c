using System.Collections.Concurrent;
using GovukDeploy.Deploys.Gates;
using NodaTime;

namespace GovukDeploy.Store;

/// <summary>
/// The Release app's answers, remembered for a short while so that listing freezes across the
/// whole catalogue twice in a row asks it once. Only answers it gave are kept: "could not say"
/// is asked again next time. The deploy gate never reads from here.
/// </summary>
public sealed class ReleaseAppFreezeCache
{
    public static readonly Duration DefaultLifetime = Duration.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (Instant At, ReleaseAppFreezeAnswer Answer)> _answers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Duration _lifetime;

    public ReleaseAppFreezeCache(Duration? lifetime = null) => _lifetime = lifetime ?? DefaultLifetime;

    public bool TryGet(string application, Instant now, out ReleaseAppFreezeAnswer answer)
    {
        if (_answers.TryGetValue(application, out var kept) && now - kept.At < _lifetime)
        {
            answer = kept.Answer;
            return true;
        }
        answer = null!;
        return false;
    }

    public void Remember(string application, Instant at, ReleaseAppFreezeAnswer answer)
    {
        if (answer.Frozen is not null)
        {
            _answers[application] = (at, answer);
        }
    }
}
