using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gosuslugi.Health.TestInfrastructure.Oidc;

namespace Gosuslugi.Health.Bench;

/// <summary>
/// Scenario "records": one patient with ten years of lab results (5,000 by default), published through the real FHIR
/// API as the laboratory's organization client through the gateway; then, with the patient's own token through the
/// gateway, the first page of the history, a deep page reached by cursor, a ten-year trend of one analyte and a PDF
/// export of a period holding about 1,000 results.
/// </summary>
public static class RecordsBench
{
    private static readonly TimeSpan TenYears = TimeSpan.FromDays(3652);

    public static async Task<int> RunAsync(BenchOptions options, Uri gateway, JsonElement demo)
    {
        var machine = Machine.Describe();
        using var tokens = new BenchTokens(gateway, demo);
        var history = new LabHistory(options.Results, DateTimeOffset.UtcNow.AddDays(-1), TenYears);
        var snils = demo.GetProperty("patient").GetProperty("snils").GetString()!;

        var ingestion = await IngestAsync(gateway, tokens, history, snils, options.IngestParallel);
        Console.WriteLine(ingestion.Describe());

        using var patient = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(2) };
        patient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.PatientAsync());

        // Everything the patient sees, walked page by page: checks the seed and finds the cursor of a deep page.
        var deepAfter = Math.Min(4000, Math.Max(0, options.Results - 20));
        var walk = await WalkHistoryAsync(patient, "", deepAfter);
        if (walk.Items < options.Results)
            throw new InvalidOperationException($"The patient's history holds {walk.Items} items, expected at least {options.Results}.");

        var trendFrom = Date(history.TakenAt[0].AddDays(-1));
        var trendTo = Date(DateTimeOffset.UtcNow.AddDays(1));
        var analyte = LabHistory.TrendAnalyte;
        var trendPath = $"api/v1/records/analytes/{Uri.EscapeDataString(analyte.Code)}/trend?from={trendFrom}&to={trendTo}";
        var trendPoints = LongestArray((await patient.GetFromJsonDocumentAsync(trendPath)).RootElement);

        // A period holding the newest ~1,000 results (dates, as the filter takes them).
        var exportCount = Math.Min(1000, options.Results);
        var exportFrom = Date(history.TakenAt[options.Results - exportCount]);
        var exportFilter = $"from={exportFrom}&to={trendTo}&kind=lab_result";
        var exportRows = (await WalkHistoryAsync(patient, exportFilter, 0)).Items;
        var exportPath = $"api/v1/records/exports/history.pdf?{exportFilter}";
        using var pdf = await patient.GetAsync(exportPath);
        var pdfBytes = (await pdf.Content.ReadAsByteArrayAsync()).Length;
        if (!pdf.IsSuccessStatusCode || pdf.Content.Headers.ContentType?.MediaType != "application/pdf")
            throw new InvalidOperationException($"The PDF export answered {(int)pdf.StatusCode} {pdf.Content.Headers.ContentType}.");

        var targets = new (string Name, string Path, int Concurrency)[]
        {
            ("history, first page (20)", "api/v1/records/history", options.Concurrency),
            ($"history, page after {walk.DeepAfter} items (cursor)", $"api/v1/records/history?cursor={Uri.EscapeDataString(walk.DeepCursor!)}", options.Concurrency),
            ($"trend of {analyte.Code} over 10 years ({trendPoints} points)", trendPath, options.Concurrency),
            ($"PDF export, {exportRows} results", exportPath, options.ExportConcurrency),
        };
        var runs = new List<(LoadResult Result, string Load)>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var (name, path, concurrency) in targets)
            {
                // A fresh access token per run: they live ten minutes.
                var result = await LoadRun.RunAsync($"{name} (round {round})", new Uri(gateway, path), await tokens.PatientAsync(),
                    concurrency, options.WarmUp, options.Duration);
                runs.Add((result, Machine.LoadAverage()));
                Console.WriteLine($"{result.Name}: {result.Requests} requests, {result.Failures} failures, {result.RequestsPerSecond:0.0}/s, p50 {result.P50Milliseconds:0.0} ms, p99 {result.P99Milliseconds:0.0} ms");
            }
        }

        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Records: one patient with {options.Results:N0} lab results over 10 years — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine}. Release build, the whole system from the AppHost on this machine (PostgreSQL, RabbitMQ, Redis, identity, services, gateway); load generator on the same machine. Every request goes through the gateway with a real token.")
            .AppendLine()
            .AppendLine("## Data")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- {options.Results:N0} FHIR DiagnosticReports (5 panels in turn, 5 contained Observations each: {options.Results * 5:N0} values) from {history.TakenAt[0]:yyyy-MM-dd} to {history.TakenAt[^1]:yyyy-MM-dd}, one every {(history.TakenAt[1] - history.TakenAt[0]).TotalHours:0.0} h; each analyte in every fifth result.")
            .AppendLine(CultureInfo.InvariantCulture, $"- Ingestion: {ingestion.Describe()}")
            .AppendLine(CultureInfo.InvariantCulture, $"- History as the patient sees it: {walk.Items:N0} items; deep page = the page after item {walk.DeepAfter:N0} (its cursor from walking the history).")
            .AppendLine(CultureInfo.InvariantCulture, $"- Trend: {analyte.Name} ({analyte.Code}), {trendFrom} … {trendTo}: {trendPoints} points.")
            .AppendLine(CultureInfo.InvariantCulture, $"- PDF export: lab results {exportFrom} … {trendTo}: {exportRows} results (history filter count), {pdfBytes / 1024.0:N0} KiB.")
            .AppendLine()
            .AppendLine("## Latency, patient token through the gateway")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Closed loop: each connection sends its next request when the previous answer has been read; {options.WarmUp.TotalSeconds:0} s warm-up, then {options.Duration.TotalSeconds:0} s measured per run; {options.Rounds} round(s). Load average (1/5/15 min) read right after each run.")
            .AppendLine()
            .AppendLine("| request | connections | requests | failures | req/s | p50 ms | p99 ms | load avg |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var (r, load) in runs)
            report.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Concurrency} | {r.Requests} | {r.Failures} | {r.RequestsPerSecond:0.0} | {r.P50Milliseconds:0.0} | {r.P99Milliseconds:0.0} | {load} |");
        report.AppendLine()
            .AppendLine("A run with few requests (the PDF export) has a p99 close to its slowest request.");

        Console.WriteLine(report);
        if (options.ReportFile is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            await File.WriteAllTextAsync(file, report.ToString());
        }
        return runs.Sum(r => r.Result.Failures) == 0 ? 0 : 1;
    }

    private sealed record Ingestion(int Created, int Parallel, TimeSpan Elapsed, double P50Milliseconds, double P99Milliseconds)
    {
        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"{Created:N0} results (after the first, sent alone until Records knew the patient) in {Elapsed.TotalSeconds:0.0} s with {Parallel} in parallel = {Created / Elapsed.TotalSeconds:0.0} results/s ({Created * 5 / Elapsed.TotalSeconds:0} values/s); POST p50 {P50Milliseconds:0.0} ms, p99 {P99Milliseconds:0.0} ms.");
    }

    /// <summary>Publishes every result through POST /api/v1/records/fhir/DiagnosticReport, <paramref name="parallel"/> at a time.</summary>
    private static async Task<Ingestion> IngestAsync(Uri gateway, BenchTokens tokens, LabHistory history, string snils, int parallel)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = parallel }) { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(1) };
        // The first one alone: right after a fresh start Records may not yet know the patient's SNILS (identity's
        // PatientRegistered is on its way), which it answers with 422.
        await PublishAsync(http, tokens, history, 0, snils, waitForPatient: true);

        var latencies = new ConcurrentBag<long>();
        var next = 0;
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < history.Count)
            {
                var start = Stopwatch.GetTimestamp();
                await PublishAsync(http, tokens, history, i, snils, waitForPatient: false);
                latencies.Add(Stopwatch.GetTimestamp() - start);
                if (i % 500 == 0) Console.WriteLine($"published {i} of {history.Count} in {started.Elapsed.TotalSeconds:0} s");
            }
        }));
        started.Stop();
        var sorted = latencies.Order().ToArray();
        return new Ingestion(history.Count - 1, parallel, started.Elapsed, LoadRun.Percentile(sorted, 0.50), LoadRun.Percentile(sorted, 0.99));
    }

    private static async Task PublishAsync(HttpClient http, BenchTokens tokens, LabHistory history, int i, string snils, bool waitForPatient)
    {
        var body = history.DiagnosticReport(i, snils);
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/records/fhir/DiagnosticReport")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/fhir+json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.OrganizationAsync());
            using var response = await http.SendAsync(request);
            if (response.IsSuccessStatusCode) return;
            var answer = await response.Content.ReadAsStringAsync();
            var retry = (waitForPatient && response.StatusCode == HttpStatusCode.UnprocessableEntity && answer.Contains("subject.identifier.value", StringComparison.Ordinal))
                        || response.StatusCode == HttpStatusCode.Unauthorized; // the token expired between two requests
            if (!retry || attempt == 60)
                throw new InvalidOperationException($"Publishing result {i} answered {(int)response.StatusCode}: {answer}");
            await Task.Delay(1000);
        }
    }

    private sealed record Walk(int Items, int DeepAfter, string? DeepCursor);

    /// <summary>Reads every page of the patient's history (100 a page) and keeps the cursor that follows item <paramref name="deepAfter"/>.</summary>
    private static async Task<Walk> WalkHistoryAsync(HttpClient patient, string filter, int deepAfter)
    {
        var items = 0;
        string? cursor = null, deepCursor = null;
        do
        {
            var query = string.Join('&', new[] { filter, "limit=100", cursor is null ? "" : "cursor=" + Uri.EscapeDataString(cursor) }.Where(q => q.Length > 0));
            using var page = await patient.GetFromJsonDocumentAsync("api/v1/records/history?" + query);
            items += page.RootElement.GetProperty("items").GetArrayLength();
            cursor = page.RootElement.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            if (items == deepAfter) deepCursor = cursor;
        }
        while (cursor is not null);
        return new Walk(items, deepAfter, deepCursor);
    }

    private static async Task<JsonDocument> GetFromJsonDocumentAsync(this HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    /// <summary>The length of the longest array in the document (the series of a trend, whatever its field is called).</summary>
    private static int LongestArray(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => Math.Max(element.GetArrayLength(), element.EnumerateArray().Select(LongestArray).DefaultIfEmpty(0).Max()),
        JsonValueKind.Object => element.EnumerateObject().Select(p => LongestArray(p.Value)).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Access tokens live ten minutes: the organization's is fetched again, the patient's refreshed, before they expire.</summary>
}

/// <summary>What the figures were measured on: the machine is shared, so its load is part of the result.</summary>
public static class Machine
{
    public static string Describe() =>
        $"{Environment.ProcessorCount} cores, {Environment.OSVersion}; .NET {Environment.Version}; load average at start {LoadAverage()}";

    /// <summary>
    /// Waits until the whole machine has been nearly idle (under <paramref name="busyShare"/> of all cores) for two
    /// 2-second windows in a row, at most <paramref name="patience"/>; returns how long it waited. A run leaves work
    /// behind (every read is an audit event published through an outbox and chained by Audit), and a next run that
    /// starts while that work drains measures the drain as much as itself: the figures of two runs of one build then
    /// differed by a third.
    /// </summary>
    public static async Task<TimeSpan> WaitUntilQuietAsync(double busyShare = 0.25, TimeSpan? patience = null)
    {
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)((patience ?? TimeSpan.FromMinutes(5)).TotalSeconds * Stopwatch.Frequency);
        var quietWindows = 0;
        var (busy, total) = CpuTicks();
        while (quietWindows < 2 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var (nextBusy, nextTotal) = CpuTicks();
            var share = nextTotal == total ? 0 : (double)(nextBusy - busy) / (nextTotal - total);
            quietWindows = share < busyShare ? quietWindows + 1 : 0;
            (busy, total) = (nextBusy, nextTotal);
        }
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Busy and total jiffies of all cores since boot, from the first line of /proc/stat.</summary>
    private static (long Busy, long Total) CpuTicks()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + fields[4]; // idle + iowait
            var total = fields.Take(8).Sum(); // user nice system idle iowait irq softirq steal
            return (total - idle, total);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
