using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gosuslugi.Health.TestInfrastructure.Oidc;

namespace Gosuslugi.Health.Bench;

/// <summary>
/// Sign-ins per second with password + TOTP through the gateway, each one the whole browser flow of a new
/// device (authorize page, password, authenticator code, code redemption), and the token endpoint under
/// load (refresh-token rotation and client credentials). Identity hashes passwords as in production
/// (PBKDF2-HMAC-SHA512, 210,000 iterations).
/// </summary>
public static class SignInBench
{
    private sealed record BenchUser(string Username, string Password, string TotpSecret);

    public static async Task<int> RunAsync(BenchOptions options, Uri gateway, JsonElement demo)
    {
        var usersFile = options.BenchUsersFile ?? throw new InvalidOperationException("--bench-users is required for the sign-in benchmark.");
        var users = JsonSerializer.Deserialize<List<BenchUser>>(await File.ReadAllTextAsync(usersFile), JsonSerializerOptions.Web)!;
        var publicClient = demo.GetProperty("publicClient");
        var clientId = publicClient.GetProperty("clientId").GetString()!;
        var redirectUri = publicClient.GetProperty("redirectUri").GetString()!;
        var organization = demo.GetProperty("medicalOrganization");

        // A TOTP code is accepted once per account and 30-second step: an account signs in at most once a step.
        var pool = new TotpAccountPool(users);
        Task SignInAsync(CancellationToken ct) => SignInOnceAsync(gateway, clientId, redirectUri, pool, ct);

        var results = new List<LoadResult>();
        for (var round = 1; round <= options.Rounds; round++)
            results.Add(await ClosedLoop.RunAsync($"sign-in, password + TOTP (round {round})", options.Concurrency, options.WarmUp, options.Duration, SignInAsync));

        // Token endpoint: every worker rotates its own refresh token (one sign-in each to start).
        var refreshTokens = new ConcurrentQueue<string>();
        for (var i = 0; i < options.Concurrency; i++)
        {
            using var oidc = new OidcClient(gateway);
            var user = await pool.TakeAsync(CancellationToken.None);
            var tokens = await oidc.SignInWithCodeAsync(clientId, redirectUri, user.Username, user.Password, SecondFactor.AuthenticatorApp(user.TotpSecret));
            refreshTokens.Enqueue(tokens.RefreshToken!);
        }
        using var tokenClient = new OidcClient(gateway);
        async Task RefreshAsync(CancellationToken ct)
        {
            if (!refreshTokens.TryDequeue(out var current)) throw new InvalidOperationException("No refresh token to rotate.");
            try
            {
                var next = await tokenClient.RefreshAsync(clientId, current, ct);
                current = next.RefreshToken!;
            }
            finally
            {
                refreshTokens.Enqueue(current);
            }
        }
        var clientSecretId = organization.GetProperty("clientId").GetString()!;
        var clientSecret = organization.GetProperty("clientSecret").GetString()!;
        Task ClientCredentialsAsync(CancellationToken ct) => tokenClient.ClientCredentialsAsync(clientSecretId, clientSecret, ct: ct);

        for (var round = 1; round <= options.Rounds; round++)
        {
            results.Add(await ClosedLoop.RunAsync($"token endpoint, refresh_token grant (round {round})", options.Concurrency, options.WarmUp, options.Duration, RefreshAsync));
            results.Add(await ClosedLoop.RunAsync($"token endpoint, client_credentials grant (round {round})", options.Concurrency, options.WarmUp, options.Duration, ClientCredentialsAsync));
        }

        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Sign-in and token endpoint — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}; .NET {Environment.Version}. Through the gateway; {options.Concurrency} concurrent workers; {options.Duration.TotalSeconds:0} s after {options.WarmUp.TotalSeconds:0} s warm-up per run; {users.Count} accounts with password + TOTP; load generator on the same machine.")
            .AppendLine()
            .AppendLine("A sign-in is the whole flow of a new browser: GET /connect/authorize, POST password, POST TOTP code, POST /connect/token (code + PKCE). Passwords are PBKDF2-HMAC-SHA512 with 210,000 iterations; client secrets as identity stores them.")
            .AppendLine()
            .AppendLine("| run | operations | failures | per second | p50 ms | p99 ms |")
            .AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            report.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Requests} | {r.Failures} | {r.RequestsPerSecond:0.0} | {r.P50Milliseconds:0.0} | {r.P99Milliseconds:0.0} |");

        Console.WriteLine(report);
        if (options.ReportFile is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            await File.WriteAllTextAsync(file, report.ToString());
        }
        return results.Sum(r => r.Failures) == 0 ? 0 : 1;
    }

    private static async Task SignInOnceAsync(Uri gateway, string clientId, string redirectUri, TotpAccountPool pool, CancellationToken ct)
    {
        var user = await pool.TakeAsync(ct);
        using var oidc = new OidcClient(gateway); // a new browser: no session cookie, no remembered device
        await oidc.SignInWithCodeAsync(clientId, redirectUri, user.Username, user.Password, SecondFactor.AuthenticatorApp(user.TotpSecret), ct: ct);
    }

    /// <summary>Hands out accounts whose TOTP code of the current 30-second step has not been used yet.</summary>
    private sealed class TotpAccountPool(IReadOnlyList<BenchUser> users)
    {
        private readonly Lock _gate = new();
        private long _step = -1;
        private int _next;

        public async Task<BenchUser> TakeAsync(CancellationToken ct)
        {
            while (true)
            {
                lock (_gate)
                {
                    var step = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
                    if (step != _step) (_step, _next) = (step, 0);
                    // Leave a margin at the step's end: the code is computed on the client, checked on the server.
                    var secondsLeft = 30 - DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 30;
                    if (_next < users.Count && secondsLeft > 1) return users[_next++];
                }
                await Task.Delay(250, ct);
            }
        }
    }
}

/// <summary>A closed loop of workers running an operation for a fixed time, with per-operation latency.</summary>
public static class ClosedLoop
{
    public static async Task<LoadResult> RunAsync(string name, int concurrency, TimeSpan warmUp, TimeSpan duration, Func<CancellationToken, Task> operation)
    {
        var quietAfter = await Machine.WaitUntilQuietAsync();
        await RunWorkersAsync(concurrency, warmUp, operation);
        var (latencies, failures, firstError) = await RunWorkersAsync(concurrency, duration, operation);
        if (firstError is not null) Console.Error.WriteLine($"{name}: first failure: {firstError}");
        var ticks = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(name, new Uri("about:blank"), concurrency, duration, ticks.Length, failures,
            ticks.Length / duration.TotalSeconds, LoadRun.Percentile(ticks, 0.50), LoadRun.Percentile(ticks, 0.99), quietAfter);
    }

    private static async Task<(List<long>[] Latencies, int Failures, string? FirstError)> RunWorkersAsync(
        int concurrency, TimeSpan duration, Func<CancellationToken, Task> operation)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var latencies = Enumerable.Range(0, concurrency).Select(_ => new List<long>(10_000)).ToArray();
        var failures = 0;
        string? firstError = null;
        await Task.WhenAll(latencies.Select(mine => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await operation(CancellationToken.None);
                    mine.Add(Stopwatch.GetTimestamp() - start);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or SignInFailedException)
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstError, e.Message.Length > 300 ? e.Message[..300] : e.Message, null);
                }
            }
        })));
        return (latencies, failures, firstError);
    }
}
