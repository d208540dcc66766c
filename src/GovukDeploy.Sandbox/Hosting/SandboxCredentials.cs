using System.Security.Cryptography;

namespace GovukDeploy.Sandbox.Hosting;

/// <summary>The secrets a client needs; new random values on every start so nothing real can leak in.</summary>
public sealed class SandboxCredentials
{
    public string GitHubToken { get; } = "ghp_" + RandomText(36);
    public string GitHubLogin { get; } = "sandbox-developer";
    public string JenkinsUser { get; } = "sandbox-developer";
    // Jenkins API tokens are 34 hex characters starting "11".
    public string JenkinsApiToken { get; } = "11" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
    public string ReleaseAppToken { get; } = RandomText(40);
    // A Sentry user auth token is 64 hex characters.
    public string SentryToken { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
    public string SentryUser { get; } = "sandbox-developer";
    public string IcingaUser { get; } = "govukdeploy";
    public string IcingaPassword { get; } = RandomText(24);

    private static string RandomText(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return RandomNumberGenerator.GetString(alphabet, length);
    }
}
