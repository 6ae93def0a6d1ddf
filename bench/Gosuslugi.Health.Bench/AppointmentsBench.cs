using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Gosuslugi.Health.Bench;

/// <summary>
/// Scenario "appointments": the demo organization publishes doctors and their schedules through the gateway; the demo
/// patient then books distinct free slots as fast as <c>--concurrency</c> connections allow (bookings per second),
/// and finally 500 booking attempts race for one slot at once (the outcome counts: one 201, the rest 409).
/// </summary>
public static class AppointmentsBench
{
    private const int RaceAttempts = 500;

    public static async Task<int> RunAsync(BenchOptions options, Uri gateway, JsonElement demo)
    {
        var machine = Machine.Describe();
        using var tokens = new BenchTokens(gateway, demo);
        using var organization = Client(gateway, await tokens.OrganizationAsync(), 8);

        // Reference data: the organization, ten therapists, each with 20-minute slots 08:00–20:00 for the next 30 days.
        await PutAsync(organization, "api/v1/appointments/org/profile", new
        {
            name = "ГБУЗ «Городская поликлиника № 1»", kind = "polyclinic", address = "г. Москва, ул. Ленина, д. 1", phone = "+74951234567",
        });
        var from = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(1));
        var to = from.AddDays(29);
        for (var d = 1; d <= 10; d++)
        {
            await PutAsync(organization, $"api/v1/appointments/org/doctors/bench-{d}", new
            {
                familyName = "Петрова", givenName = "Анна", middleName = "Сергеевна", specialty = "therapist",
            });
            using var schedule = await organization.PostAsJsonAsync($"api/v1/appointments/org/doctors/bench-{d}/schedule", new
            {
                from, to, weekdays = new[] { 1, 2, 3, 4, 5, 6, 7 }, start = "08:00", end = "20:00", slotMinutes = 20, telemedicine = false,
            });
            await EnsureSuccessAsync(schedule);
        }

        using var patient = Client(gateway, await tokens.PatientAsync(), Math.Max(options.Concurrency, 1));
        var slots = new ConcurrentQueue<Guid>(await FreeSlotsAsync(patient, from, to));
        Console.WriteLine($"{slots.Count} free slots published");
        if (!slots.TryDequeue(out var raceSlot)) throw new InvalidOperationException("No free slot was published.");

        // Bookings per second on distinct slots: each connection books the next free slot as soon as its last answer came.
        var outcomes = new ConcurrentDictionary<HttpStatusCode, int>();
        async Task BookNextAsync(CancellationToken ct)
        {
            if (!slots.TryDequeue(out var slot)) throw new InvalidOperationException("Ran out of free slots: publish a longer schedule.");
            using var response = await patient.PostAsJsonAsync("api/v1/appointments", new { slotId = slot }, ct);
            outcomes.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
            if (response.StatusCode != HttpStatusCode.Created)
                throw new InvalidOperationException($"Booking slot {slot} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
        var bookings = await ClosedLoop.RunAsync("bookings on distinct slots", options.Concurrency, options.WarmUp, options.Duration, BookNextAsync);

        // The race: 500 attempts on one slot, all in flight at once, each on its own connection.
        using var racers = Client(gateway, await tokens.PatientAsync(), RaceAttempts);
        var race = new ConcurrentDictionary<HttpStatusCode, int>();
        var attempts = Enumerable.Range(0, RaceAttempts).Select(async _ =>
        {
            await Task.Yield();
            using var response = await racers.PostAsJsonAsync("api/v1/appointments", new { slotId = raceSlot });
            race.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
        }).ToList();
        await Task.WhenAll(attempts);

        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Appointments: bookings per second and the 500-way race — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine}. Release build, the whole system from the AppHost on this machine (one Appointments instance), load generator on the same machine; every request through the gateway with the demo patient's token (confirmed account, OMS policy from identity's events).")
            .AppendLine()
            .AppendLine("## Bookings on distinct slots")
            .AppendLine()
            .AppendLine("| connections | bookings | failures | bookings/s | p50 ms | p99 ms | statuses | load avg |")
            .AppendLine("|---:|---:|---:|---:|---:|---:|---|---|")
            .AppendLine(CultureInfo.InvariantCulture, $"| {options.Concurrency} | {bookings.Requests} | {bookings.Failures} | {bookings.RequestsPerSecond:0.0} | {bookings.P50Milliseconds:0.0} | {bookings.P99Milliseconds:0.0} | {Statuses(outcomes)} | {Machine.LoadAverage()} |")
            .AppendLine()
            .AppendLine("## 500 concurrent attempts on one slot")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Outcomes: {Statuses(race)}.");
        Console.WriteLine(report);
        if (options.ReportFile is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            await File.WriteAllTextAsync(file, report.ToString());
        }
        var raceHeld = race.GetValueOrDefault(HttpStatusCode.Created) == 1 && race.GetValueOrDefault(HttpStatusCode.Conflict) == RaceAttempts - 1;
        return bookings.Failures == 0 && raceHeld ? 0 : 1;
    }

    private static string Statuses(ConcurrentDictionary<HttpStatusCode, int> counts) =>
        string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{(int)c.Key} × {c.Value}"));

    private static HttpClient Client(Uri gateway, string token, int connections)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task PutAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PutAsJsonAsync(path, body);
        await EnsureSuccessAsync(response);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Every free slot of the period, walked page by page.</summary>
    private static async Task<List<Guid>> FreeSlotsAsync(HttpClient patient, DateOnly from, DateOnly to)
    {
        var ids = new List<Guid>();
        string? cursor = null;
        do
        {
            var path = $"api/v1/appointments/slots?specialty=therapist&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}&limit=100"
                       + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            using var response = await patient.GetAsync(path);
            await EnsureSuccessAsync(response);
            using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            ids.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));
            cursor = page.RootElement.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return ids;
    }
}
