using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GovukDeploy.Errors;
using GovukDeploy.Store;

namespace GovukDeploy.Tests.Store;

/// <summary>What only the PostgreSQL store promises: a clear, bounded, password-free error when the server cannot be reached.</summary>
public sealed class PostgresStoreTests
{
    [Fact]
    public async Task AnUnreachableServerGivesAConnectionErrorNamingHostAndPortButNotThePassword()
    {
        var port = UnusedPort();
        await using var store = DeployStoreFactory.Open($"postgres://deployer:s3cret-Pa55@127.0.0.1:{port}/govuk");

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<GovukDeployException>(() => store.GetApplicationsAsync(ApplicationQuery.All));

        Assert.Equal(ErrorKind.ConnectionError, error.Kind);
        Assert.Equal("StoreUnreachable", error.ErrorId);
        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
        Assert.DoesNotContain("s3cret", error.Target?.ToString() ?? "");
        Assert.DoesNotContain("s3cret", error.ToString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(DeployStoreFactory.DefaultConnectTimeoutSeconds + 5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task AServerThatNeverAnswersTimesOutWithinTheConnectTimeout()
    {
        // A listener that accepts nothing: the TCP handshake completes but no PostgreSQL ever answers.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var store = DeployStoreFactory.Open($"Host=127.0.0.1;Port={port};Username=u;Password=hunter2;Database=d;Timeout=2");

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<GovukDeployException>(() => store.InitializeAsync());
        Assert.Equal(ErrorKind.ConnectionError, error.Kind);
        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.DoesNotContain("hunter2", error.ToString());
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
