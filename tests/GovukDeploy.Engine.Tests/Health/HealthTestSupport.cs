using System.Collections.Concurrent;
using GovukDeploy.Configuration;
using GovukDeploy.Health;
using NodaTime;

namespace GovukDeploy.Tests.Health;

/// <summary>Health checks pointed at the in-process sandbox's Sentry and Icinga, with every request counted and kept.</summary>
public static class HealthTestSupport
{
    public static HealthSettings Settings(DeployHarness harness, bool sentry = true, bool icinga = true, string? dashboard = null) => new()
    {
        SentryUrl = sentry ? new Uri(harness.Server.BaseUrl + "sentry/") : null,
        SentryToken = new Secret(harness.Server.Credentials.SentryToken),
        IcingaUrlTemplate = icinga ? harness.Server.BaseUrl + "icinga/{environment}/" : null,
        IcingaUser = harness.Server.Credentials.IcingaUser,
        IcingaPassword = new Secret(harness.Server.Credentials.IcingaPassword),
        DashboardUrlTemplate = dashboard,
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    public static DeployHealthService Service(HealthSettings settings, RequestLog? log = null) =>
        new(settings, SystemClock.Instance, log is null ? null : inner => new RecordingHandler(inner, log));

    public static Application App(string name, string? deployName = null) =>
        new() { Name = name, Repository = "alphagov/" + name, DeployName = deployName ?? name };
}

/// <summary>The requests a client sent: their paths and bodies.</summary>
public sealed class RequestLog
{
    public ConcurrentQueue<(string Path, string Query, string? Body)> Requests { get; } = new();

    public int Count(string pathPart) => Requests.Count(r => r.Path.Contains(pathPart, StringComparison.Ordinal));
}

public sealed class RecordingHandler(HttpMessageHandler inner, RequestLog log) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        log.Requests.Enqueue((request.RequestUri!.AbsolutePath, Uri.UnescapeDataString(request.RequestUri.Query), body));
        return await base.SendAsync(request, cancellationToken);
    }
}
