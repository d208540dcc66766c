using System.Text.Json;
using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.Slack;

/// <summary>
/// A Slack incoming webhook: POST /slack/services/{anything} with {"text": ...} answers "ok", as Slack does,
/// and keeps the message; GET /_sandbox/slack/messages lists what arrived, oldest first.
/// </summary>
public sealed class SlackInbox
{
    private readonly object _sync = new();
    private readonly List<SlackMessage> _messages = [];

    public IReadOnlyList<SlackMessage> Messages()
    {
        lock (_sync)
        {
            return _messages.ToList();
        }
    }

    public static void Map(WebApplication app, SlackInbox inbox)
    {
        app.MapPost("/slack/services/{**path}", async (HttpContext ctx, string path) =>
        {
            string? text;
            try
            {
                using var json = await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted);
                text = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String
                    ? t.GetString()
                    : null;
            }
            catch (JsonException)
            {
                text = null;
            }

            if (string.IsNullOrEmpty(text))
            {
                // Slack's own words for a message without text.
                return Results.Text("no_text", "text/plain", statusCode: 400);
            }

            lock (inbox._sync)
            {
                inbox._messages.Add(new SlackMessage(path, text, DateTimeOffset.UtcNow));
            }
            return Results.Text("ok", "text/plain");
        });

        app.MapGet("/_sandbox/slack/messages", () => Wire.JsonResult(inbox.Messages()
            .Select(m => new Dictionary<string, object?> { ["webhook"] = m.Webhook, ["text"] = m.Text, ["received_at"] = Wire.Iso(m.ReceivedAt) }).ToList()));
    }
}

public sealed record SlackMessage(string Webhook, string Text, DateTimeOffset ReceivedAt);
