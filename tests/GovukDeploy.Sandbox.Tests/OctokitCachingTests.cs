using System.Collections.Concurrent;
using Octokit;
using Octokit.Caching;
using Octokit.Internal;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>Octokit's own ETag cache against the sandbox: repeat reads come back 304 and cost nothing.</summary>
public sealed class OctokitCachingTests
{
    private sealed class MemoryCache : IResponseCache
    {
        private readonly ConcurrentDictionary<string, CachedResponse.V1> _entries = new();

        public Task<CachedResponse.V1> GetAsync(IRequest request) =>
            Task.FromResult(_entries.TryGetValue(request.Endpoint.ToString(), out var hit) ? hit : null!);

        public Task SetAsync(IRequest request, CachedResponse.V1 cachedResponse)
        {
            _entries[request.Endpoint.ToString()] = cachedResponse;
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task RepeatReadsThroughOctokitsCacheDoNotSpendTheRateLimit()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var connection = new Connection(
            new ProductHeaderValue("govukdeploy-sandbox-tests"),
            // A Connection built by hand takes the API root itself (GitHubClient's own constructor adds api/v3/).
            new Uri(sandbox.BaseUrl + "api/v3/"),
            new InMemoryCredentialStore(new Credentials(sandbox.Server.Credentials.GitHubToken)),
            new CachingHttpClient(new HttpClientAdapter(HttpMessageHandlerFactory.CreateDefault), new MemoryCache()),
            new SimpleJsonSerializer());
        var client = new GitHubClient(connection);

        var first = await client.Repository.Get("alphagov", "whitehall");
        var remaining = client.GetLastApiInfo().RateLimit.Remaining;
        for (var i = 0; i < 5; i++)
        {
            var again = await client.Repository.Get("alphagov", "whitehall");
            Assert.Equal(first.Id, again.Id);
        }
        var limits = await sandbox.GitHub().RateLimit.GetRateLimits();
        Assert.Equal(remaining, limits.Resources.Core.Remaining);
        Assert.Equal(1, limits.Resources.Core.Limit - limits.Resources.Core.Remaining);
    }
}
