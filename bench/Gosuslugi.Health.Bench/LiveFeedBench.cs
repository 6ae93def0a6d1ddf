using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Immunizations;
using MassTransit;

namespace Gosuslugi.Health.Bench;

/// <summary>
/// Scenario "livefeed": the delay from an event published on the bus to the message arriving in the patient's open
/// live feed (server-sent events through the gateway). Events (ImmunizationRecorded, each with its own id) are
/// published on the system's RabbitMQ at a fixed rate, as an organization's service would; the patient's stream is
/// read by this process, which knows when it sent each one: the delay covers the broker, Notifications' consumer and
/// its database transaction, the PostgreSQL NOTIFY to the instance holding the stream, and the gateway.
/// </summary>
public static class LiveFeedBench
{
    public static async Task<int> RunAsync(BenchOptions options, Uri gateway, JsonElement demo,
        IReadOnlyDictionary<string, Uri> resources)
    {
        var machine = Machine.Describe();
        using var tokens = new BenchTokens(gateway, demo);
        var patientToken = await tokens.PatientAsync();
        var patientId = Guid.Parse(JsonDocument.Parse(Base64UrlDecode(patientToken.Split('.')[1])).RootElement.GetProperty("sub").GetString()!);

        var bus = await StartBusAsync(resources["rabbitmq"], Path.GetDirectoryName(Path.GetFullPath(options.DemoFile))!);
        try
        {
            var sent = new ConcurrentDictionary<Guid, long>();
            var delays = new ConcurrentBag<double>();
            using var stream = new CancellationTokenSource();
            using var http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = gateway, Timeout = Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", patientToken);
            var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var reader = ReadStreamAsync(http, sent, delays, opened, stream.Token);
            await opened.Task.WaitAsync(TimeSpan.FromSeconds(30));

            // Warm-up at the same rate, then the measured run, each once the machine is quiet again (what a run leaves
            // behind, deliveries and audit events, would otherwise be measured with the next; the wait also lets the
            // warm-up's stragglers arrive).
            await Machine.WaitUntilQuietAsync();
            await PublishAtRateAsync(bus, patientId, options.EventsPerSecond, options.WarmUp, sent, record: false);
            await Machine.WaitUntilQuietAsync();
            delays.Clear();
            var measured = await PublishAtRateAsync(bus, patientId, options.EventsPerSecond, options.Duration, sent, record: true);
            // Stragglers: wait until every measured event arrived or 30 s passed.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (delays.Count < measured && DateTime.UtcNow < deadline) await Task.Delay(100);
            await stream.CancelAsync();
            try { await reader; } catch (OperationCanceledException) { }

            var sorted = delays.Order().ToArray();
            double P(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
            var report = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"# Live feed: event published → message in the patient's open stream — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC")
                .AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine}. Release build, the whole system from the AppHost on this machine; the publisher and the stream reader are this process on the same machine. {options.EventsPerSecond} ImmunizationRecorded events per second published on RabbitMQ for one patient for {options.Duration.TotalSeconds:0} s after {options.WarmUp.TotalSeconds:0} s warm-up; the patient's stream GET /api/v1/notifications/stream read through the gateway. Each Notifications message also plans SMS/e-mail/push deliveries as the patient's preferences ask.")
                .AppendLine()
                .AppendLine("| events sent | arrived | p50 ms | p90 ms | p99 ms | max ms | load avg |")
                .AppendLine("|---:|---:|---:|---:|---:|---:|---|")
                .AppendLine(CultureInfo.InvariantCulture, $"| {measured} | {sorted.Length} | {P(0.5):0.0} | {P(0.9):0.0} | {P(0.99):0.0} | {(sorted.Length > 0 ? sorted[^1] : double.NaN):0.0} | {Machine.LoadAverage()} |");
            Console.WriteLine(report);
            if (options.ReportFile is { } file)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
                await File.WriteAllTextAsync(file, report.ToString());
            }
            return sorted.Length == measured ? 0 : 1;
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static async Task<int> PublishAtRateAsync(IBusControl bus, Guid patientId, int perSecond, TimeSpan duration,
        ConcurrentDictionary<Guid, long> sent, bool record)
    {
        var interval = Stopwatch.Frequency / (double)perSecond;
        var start = Stopwatch.GetTimestamp();
        var total = (int)(perSecond * duration.TotalSeconds);
        var publishes = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * interval);
            while (Stopwatch.GetTimestamp() < due)
            {
                var wait = (due - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                if (wait > 1) await Task.Delay((int)wait); else Thread.SpinWait(100);
            }
            var id = Guid.CreateVersion7();
            sent[id] = record ? Stopwatch.GetTimestamp() : -1;
            publishes.Add(bus.Publish(new ImmunizationRecorded(id, patientId, Guid.CreateVersion7(), "ГБУЗ «Городская поликлиника № 1»",
                "FLU", "Гриппол плюс", "Грипп", 1, DateOnly.FromDateTime(DateTime.UtcNow), DateTimeOffset.UtcNow)));
        }
        await Task.WhenAll(publishes);
        return total;
    }

    /// <summary>Reads "data:" lines of the event stream; each notification's link ends with the immunization's id.</summary>
    private static async Task ReadStreamAsync(HttpClient http, ConcurrentDictionary<Guid, long> sent, ConcurrentBag<double> delays,
        TaskCompletionSource opened, CancellationToken ct)
    {
        using var response = await http.GetAsync("api/v1/notifications/stream", HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        opened.TrySetResult();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct), Encoding.UTF8);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            // Heartbeats carry no data.
            if (!line.StartsWith("data:", StringComparison.Ordinal) || line.AsSpan(5).Trim().IsEmpty) continue;
            var arrived = Stopwatch.GetTimestamp();
            using var json = JsonDocument.Parse(line[5..]);
            if (!json.RootElement.TryGetProperty("link", out var link) || link.GetString() is not { } path) continue;
            if (Guid.TryParse(path[(path.LastIndexOf('/') + 1)..], out var id) && sent.TryGetValue(id, out var at) && at > 0)
                delays.Add((arrived - at) * 1000.0 / Stopwatch.Frequency);
        }
    }

    private static async Task<IBusControl> StartBusAsync(Uri amqp, string dataDirectory)
    {
        var secrets = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dataDirectory, "secrets.json"))).RootElement;
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(amqp.Host, (ushort)amqp.Port, "/", host =>
        {
            host.Username(secrets.GetProperty("rabbitMqUser").GetString()!);
            host.Password(secrets.GetProperty("rabbitMqPassword").GetString()!);
        }));
        await bus.StartAsync();
        return bus;
    }

    private static byte[] Base64UrlDecode(string value) => System.Buffers.Text.Base64Url.DecodeFromChars(value);
}
