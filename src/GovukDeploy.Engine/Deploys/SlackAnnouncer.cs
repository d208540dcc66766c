using System.Text.Json;
using GovukDeploy.Configuration;
using GovukDeploy.Errors;
using RestSharp;

namespace GovukDeploy.Deploys;

/// <summary>Posts {"text": ...} to a Slack incoming webhook. The webhook URL is a secret and never appears in a message.</summary>
public sealed class SlackAnnouncer : IDisposable
{
    private readonly RestClient _rest;
    private readonly Secret _webhook;

    public SlackAnnouncer(Secret webhook, TimeSpan? timeout = null)
    {
        _webhook = webhook;
        _rest = new RestClient(new RestClientOptions { Timeout = timeout ?? TimeSpan.FromSeconds(10), FollowRedirects = false, UserAgent = "GovukDeploy" });
    }

    public static SlackAnnouncer? FromConfiguration(DeployConfiguration configuration) =>
        configuration.GetSecret(SettingCatalogue.SlackWebhookUrl) is { } webhook ? new SlackAnnouncer(webhook) : null;

    /// <summary>The longest message sent; Slack truncates long ones anyway, and a deploy note needs no more.</summary>
    public const int MaxLength = 3000;

    /// <summary>Throws SlackAnnounceFailed when Slack did not take the message.</summary>
    public async Task AnnounceAsync(string text, CancellationToken cancellationToken)
    {
        var request = new RestRequest(_webhook.Reveal(), Method.Post);
        request.AddStringBody(JsonSerializer.Serialize(new Dictionary<string, string> { ["text"] = Escape(text) }), ContentType.Json);
        var response = await _rest.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (!response.IsSuccessStatusCode)
        {
            var why = response.StatusCode == 0 ? "it did not answer" : $"it answered {(int)response.StatusCode}";
            throw ErrorCatalogue.SlackAnnounceFailed(why, text);
        }
    }

    /// <summary>
    /// Text as Slack shows it literally: &amp;, &lt; and &gt; escaped as Slack asks (so no text can make a link or
    /// mention), control characters dropped, and the length bounded.
    /// </summary>
    public static string Escape(string text)
    {
        var plain = new string(text.Where(c => !char.IsControl(c) || c == '\n').ToArray());
        if (plain.Length > MaxLength)
        {
            plain = plain[..MaxLength] + "…";
        }

        return plain.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
    }

    public void Dispose() => _rest.Dispose();
}
