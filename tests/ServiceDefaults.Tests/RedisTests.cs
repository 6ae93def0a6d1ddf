using Gosuslugi.Health.TestInfrastructure.Servers;
using Gosuslugi.Health.ServiceDefaults.Caching;
using Gosuslugi.Health.ServiceDefaults.Tests.TestData;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Gosuslugi.Health.ServiceDefaults.Tests;

/// <summary>The Redis seams (StackExchange.Redis) against a real redis-server, through the public registration only.</summary>
public sealed class RedisTests : IAsyncLifetime
{
    private IHost _host = null!;
    private IKeyValueStore _store = null!;
    private IDistributedCache _cache = null!;
    private readonly string _prefix = "t:" + Guid.NewGuid().ToString("N")[..8] + ":";

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        _host = BuildHost(servers.Redis.ConnectionString);
        _store = _host.Services.GetRequiredService<IKeyValueStore>();
        _cache = _host.Services.GetRequiredService<IDistributedCache>();
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private static IHost BuildHost(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = connectionString });
        builder.AddServiceRedis();
        return builder.Build();
    }

    private string Key(string name) => _prefix + name;

    [Fact]
    public async Task Increment_counts_and_sets_the_window_once()
    {
        var key = Key("counter");
        (await _store.IncrementAsync(key, TimeSpan.FromSeconds(30))).ShouldBe(1);
        var ttl1 = await _store.GetTimeToLiveAsync(key);
        ttl1.ShouldNotBeNull();
        ttl1.Value.ShouldBeInRange(TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
        await Task.Delay(1100);
        (await _store.IncrementAsync(key, TimeSpan.FromSeconds(30))).ShouldBe(2);
        (await _store.IncrementAsync(key, TimeSpan.FromSeconds(30))).ShouldBe(3);
        // A fixed window: later increments do not push the expiry back.
        (await _store.GetTimeToLiveAsync(key))!.Value.ShouldBeLessThan(ttl1.Value);

        var plain = Key("plain-counter");
        (await _store.IncrementAsync(plain)).ShouldBe(1);
        (await _store.GetTimeToLiveAsync(plain)).ShouldBeNull();
    }

    [Fact]
    public async Task Counter_expires()
    {
        var key = Key("short-counter");
        (await _store.IncrementAsync(key, TimeSpan.FromMilliseconds(300))).ShouldBe(1);
        await Task.Delay(600);
        (await _store.IncrementAsync(key, TimeSpan.FromMilliseconds(300))).ShouldBe(1);
    }

    [Fact]
    public async Task Set_if_absent_stores_once_and_expires()
    {
        var key = Key("once");
        (await _store.SetIfAbsentAsync(key, "first", TimeSpan.FromMilliseconds(500))).ShouldBeTrue();
        (await _store.SetIfAbsentAsync(key, "second", TimeSpan.FromMilliseconds(500))).ShouldBeFalse();
        (await _store.GetAsync(key)).ShouldBe("first");
        (await _store.GetTimeToLiveAsync(key))!.Value.ShouldBeInRange(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(500));
        await Task.Delay(800);
        (await _store.GetAsync(key)).ShouldBeNull();
        (await _store.SetIfAbsentAsync(key, "third", TimeSpan.FromSeconds(5))).ShouldBeTrue();
    }

    [Fact]
    public async Task Take_returns_the_value_once()
    {
        var key = Key("code");
        await _store.SetAsync(key, "значение-кода", TimeSpan.FromMinutes(1));
        (await _store.TakeAsync(key)).ShouldBe("значение-кода");
        (await _store.TakeAsync(key)).ShouldBeNull();
        (await _store.GetAsync(key)).ShouldBeNull();
    }

    [Fact]
    public async Task Take_is_single_use_under_concurrency()
    {
        var key = Key("race");
        await _store.SetAsync(key, "v", TimeSpan.FromMinutes(1));
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _store.TakeAsync(key)));
        results.Count(r => r is not null).ShouldBe(1);
    }

    [Fact]
    public async Task Delete_and_time_to_live()
    {
        var key = Key("del");
        (await _store.GetTimeToLiveAsync(key)).ShouldBeNull();
        await _store.SetAsync(key, "x");
        (await _store.GetTimeToLiveAsync(key)).ShouldBeNull();
        (await _store.DeleteAsync(key)).ShouldBeTrue();
        (await _store.DeleteAsync(key)).ShouldBeFalse();
        (await _store.GetAsync(key)).ShouldBeNull();
    }

    [Fact]
    public async Task Cache_set_get_remove_and_binary_values()
    {
        var key = Key("cache");
        var value = Enumerable.Range(0, 70_000).Select(i => (byte)(i % 256)).ToArray(); // larger than one read buffer, with \r\n bytes
        await _cache.SetAsync(key, value, new DistributedCacheEntryOptions());
        (await _cache.GetAsync(key)).ShouldBe(value);
        await _cache.SetStringAsync(key, "привет");
        (await _cache.GetStringAsync(key)).ShouldBe("привет");
        _cache.Get(key).ShouldNotBeNull();
        await _cache.RemoveAsync(key);
        (await _cache.GetAsync(key)).ShouldBeNull();
        (await _cache.GetAsync(Key("never-set"))).ShouldBeNull();
    }

    // Microsoft.Extensions.Caching.StackExchangeRedis sets a new entry's expiry in whole seconds, so these use seconds.
    [Fact]
    public async Task Cache_absolute_expiration()
    {
        var key = Key("abs");
        await _cache.SetStringAsync(key, "v", new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(1) });
        (await _cache.GetStringAsync(key)).ShouldBe("v");
        await Task.Delay(1500);
        (await _cache.GetStringAsync(key)).ShouldBeNull();

        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => _cache.SetStringAsync(key, "v",
            new DistributedCacheEntryOptions { AbsoluteExpiration = DateTimeOffset.UtcNow.AddSeconds(-1) }));
    }

    [Fact]
    public async Task Cache_sliding_expiration_is_extended_by_reads_and_refresh_but_capped_by_absolute()
    {
        var key = Key("sliding");
        await _cache.SetStringAsync(key, "v", new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(2) });
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(1000);
            (await _cache.GetStringAsync(key)).ShouldBe("v"); // 4 s in total, alive because each read slides
        }
        await Task.Delay(1000);
        await _cache.RefreshAsync(key);
        await Task.Delay(1000);
        (await _cache.GetStringAsync(key)).ShouldBe("v");
        await Task.Delay(2700);
        (await _cache.GetStringAsync(key)).ShouldBeNull();

        var capped = Key("sliding-capped");
        await _cache.SetStringAsync(capped, "v", new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromSeconds(3),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(2),
        });
        await Task.Delay(1000);
        (await _cache.GetStringAsync(capped)).ShouldBe("v");
        await Task.Delay(1500); // past the absolute expiry though the sliding window is still open
        (await _cache.GetStringAsync(capped)).ShouldBeNull();
    }

    [Fact]
    public async Task Health_check_is_healthy()
    {
        var report = await _host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        report.Entries["redis"].Status.ShouldBe(HealthStatus.Healthy);
        report.Entries["redis"].Tags.ShouldContain("ready");
    }

    [Fact]
    public async Task Password_is_sent_and_the_client_reconnects_after_a_restart()
    {
        await using var redis = await RedisServer.StartAsync(new RedisServerOptions { Password = "s3cret-" + Guid.NewGuid().ToString("N")[..6] });
        using var host = BuildHost(redis.ConnectionString);
        var store = host.Services.GetRequiredService<IKeyValueStore>();
        await store.SetAsync("k", "v");
        (await store.GetAsync("k")).ShouldBe("v");

        using (var wrong = BuildHost($"127.0.0.1:{redis.Port},password=wrong"))
        {
            await Should.ThrowAsync<RedisException>(() => wrong.Services.GetRequiredService<IKeyValueStore>().GetAsync("k"));
            var report = await wrong.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            report.Status.ShouldBe(HealthStatus.Unhealthy);
        }

        await redis.StopAsync();
        await Should.ThrowAsync<Exception>(() => store.GetAsync("k"));
        (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status.ShouldBe(HealthStatus.Unhealthy);
        await redis.StartAsync();
        // The multiplexer reconnects in the background; until then commands fail fast (no backlog).
        await TestHost.WaitUntilAsync(async () =>
        {
            try { await store.SetAsync("k2", "v2"); return true; }
            catch (RedisException) { return false; }
        }, TimeSpan.FromSeconds(30), "the client reconnects");
        (await store.GetAsync("k2")).ShouldBe("v2");
    }
}
