using System.Security.Cryptography;
using System.Text;

namespace GovukDeploy.Sandbox.Jenkins;

/// <summary>
/// Jenkins' default crumb issuer since 2.176: a crumb is a keyed hash of the HTTP
/// session, so it is valid only when sent with the session cookie it was issued with.
/// </summary>
public sealed class JenkinsCrumbs
{
    public const string FieldName = "Jenkins-Crumb";

    private readonly object _sync = new();
    private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);
    private byte[] _secret = RandomNumberGenerator.GetBytes(32);

    public JenkinsCrumbs(string environment)
    {
        // Jenkins names its cookie JSESSIONID.<hash of the instance>; each environment has its own.
        CookieName = "JSESSIONID." + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(environment)))[..8].ToLowerInvariant();
    }

    public string CookieName { get; }

    /// <summary>Returns the session to use (the caller's own if still valid, else a new one) and its crumb.</summary>
    public (string Session, string Crumb, bool IsNew) Issue(string? existingSession)
    {
        lock (_sync)
        {
            if (existingSession is not null && _sessions.Contains(existingSession))
            {
                return (existingSession, CrumbFor(existingSession), false);
            }
            var session = "node0" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant() + ".node0";
            _sessions.Add(session);
            return (session, CrumbFor(session), true);
        }
    }

    public bool IsValid(string? session, string? crumb)
    {
        if (string.IsNullOrEmpty(session) || string.IsNullOrEmpty(crumb))
        {
            return false;
        }
        lock (_sync)
        {
            return _sessions.Contains(session) &&
                   CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(CrumbFor(session)), Encoding.ASCII.GetBytes(crumb));
        }
    }

    /// <summary>Every session ends and every crumb stops working, as when Jenkins restarts or sessions time out.</summary>
    public void ExpireAll()
    {
        lock (_sync)
        {
            _sessions.Clear();
            _secret = RandomNumberGenerator.GetBytes(32);
        }
    }

    private string CrumbFor(string session) =>
        Convert.ToHexString(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(session))).ToLowerInvariant();
}
