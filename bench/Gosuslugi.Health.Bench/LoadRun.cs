using System.Diagnostics;
using System.Net.Http.Headers;

namespace Gosuslugi.Health.Bench;

/// <summary>
/// A closed-loop load generator: <c>concurrency</c> workers each send the next request as soon as the
/// previous one is answered, for a fixed duration. Latency is measured per request on the client.
/// </summary>
public static class LoadRun
{
    public static async Task<LoadResult> RunAsync(string name, Uri url, string bearerToken, int concurrency, TimeSpan warmUp, TimeSpan duration)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        })
        { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);

        var quietAfter = await Machine.WaitUntilQuietAsync();
        await RunWorkersAsync(http, url, concurrency, warmUp);
        var (latencies, failures) = await RunWorkersAsync(http, url, concurrency, duration);

        var ticks = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(
            name, url, concurrency, duration, ticks.Length, failures,
            ticks.Length / duration.TotalSeconds,
            Percentile(ticks, 0.50), Percentile(ticks, 0.99), quietAfter);
    }

    private static async Task<(List<long>[] Latencies, int Failures)> RunWorkersAsync(HttpClient http, Uri url, int concurrency, TimeSpan duration)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var latencies = Enumerable.Range(0, concurrency).Select(_ => new List<long>(100_000)).ToArray();
        var failures = 0;
        await Task.WhenAll(latencies.Select(async mine =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead);
                    if (response.IsSuccessStatusCode) mine.Add(Stopwatch.GetTimestamp() - start);
                    else Interlocked.Increment(ref failures);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        return (latencies, failures);
    }

    public static double Percentile(long[] sortedTicks, double p)
        => sortedTicks.Length == 0 ? double.NaN
            : sortedTicks[Math.Min(sortedTicks.Length - 1, (int)Math.Ceiling(p * sortedTicks.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
}

public sealed record LoadResult(
    string Name, Uri Url, int Concurrency, TimeSpan Duration, int Requests, int Failures,
    double RequestsPerSecond, double P50Milliseconds, double P99Milliseconds, TimeSpan QuietAfter);
