using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gosuslugi.Health.Bench;
using Gosuslugi.Health.TestInfrastructure.Oidc;

// Scenario "immunizations": an authenticated GET of the patient's vaccinations, straight to the Immunizations
// service and through the gateway. Scenario "signin": sign-ins with password + TOTP and the token endpoint
// (SignInBench). Scenario "records": a patient with 5,000 lab results over 10 years (RecordsBench). The system must be
// running (bench/run.sh starts it).
var options = BenchOptions.Parse(args);
var resources = await SystemUnderBench.WaitUntilReadyAsync(options.ResourcesFile, options.DemoFile, TimeSpan.FromMinutes(10));
var demo = JsonDocument.Parse(await File.ReadAllTextAsync(options.DemoFile)).RootElement;
var gateway = new Uri(demo.GetProperty("gateway").GetString()!.TrimEnd('/') + "/");
if (options.Scenario == "signin") return await SignInBench.RunAsync(options, gateway, demo);
if (options.Scenario == "records") return await RecordsBench.RunAsync(options, gateway, demo);
if (options.Scenario == "appointments") return await AppointmentsBench.RunAsync(options, gateway, demo);
if (options.Scenario == "livefeed") return await LiveFeedBench.RunAsync(options, gateway, demo, resources);
var immunizationsUrl = resources["immunizations"];

using var oidc = new OidcClient(gateway);
var organization = demo.GetProperty("medicalOrganization");
var orgToken = await oidc.ClientCredentialsAsync(organization.GetProperty("clientId").GetString()!, organization.GetProperty("clientSecret").GetString()!);
var patient = demo.GetProperty("patient");
var publicClient = demo.GetProperty("publicClient");
var patientToken = await oidc.SignInWithCodeAsync(
    publicClient.GetProperty("clientId").GetString()!, publicClient.GetProperty("redirectUri").GetString()!,
    patient.GetProperty("username").GetString()!, patient.GetProperty("password").GetString()!,
    SecondFactor.AuthenticatorApp(patient.GetProperty("totpSecret").GetString()!));

await ImmunizationSeed.EnsureAsync(gateway, orgToken.AccessToken, patientToken.AccessToken, patient.GetProperty("snils").GetString()!, options.Vaccinations);

var path = "api/v1/immunizations";
// Alternating rounds, so that neither path alone gets the cold start or whatever else the machine was doing.
var rounds = new List<(LoadResult Direct, LoadResult Proxied)>();
for (var round = 1; round <= options.Rounds; round++)
{
    rounds.Add((
        await LoadRun.RunAsync($"direct to Immunizations (round {round})", new Uri(immunizationsUrl, path), patientToken.AccessToken, options.Concurrency, options.WarmUp, options.Duration),
        await LoadRun.RunAsync($"through the gateway (round {round})", new Uri(gateway, path), patientToken.AccessToken, options.Concurrency, options.WarmUp, options.Duration)));
}
// The first round runs while the freshly started processes are still compiling their hot paths (tiered JIT):
// it is reported, but the ratio is taken over the steady rounds after it.
var steady = rounds.Count > 1 ? rounds.Skip(1).ToList() : rounds;
double Mean(Func<(LoadResult Direct, LoadResult Proxied), double> of) => steady.Average(of);

var report = new StringBuilder()
    .AppendLine(CultureInfo.InvariantCulture, $"# GET /api/v1/immunizations — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}; .NET {Environment.Version}. Patient with {options.Vaccinations} vaccinations; {options.Concurrency} concurrent connections; {options.Duration.TotalSeconds:0} s after {options.WarmUp.TotalSeconds:0} s warm-up per run, direct and gateway alternating, each run started once the machine is quiet again (the audit events of the previous run drained); load generator on the same machine.")
    .AppendLine()
    .AppendLine("| path | requests | failures | req/s | p50 ms | p99 ms | waited for a quiet machine, s |")
    .AppendLine("|---|---:|---:|---:|---:|---:|---:|");
foreach (var r in rounds.SelectMany(pair => new[] { pair.Direct, pair.Proxied }))
    report.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Requests} | {r.Failures} | {r.RequestsPerSecond:0} | {r.P50Milliseconds:0.00} | {r.P99Milliseconds:0.00} | {r.QuietAfter.TotalSeconds:0} |");
report.AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"Gateway / direct, mean over the {steady.Count} steady round(s): throughput {Mean(r => r.Proxied.RequestsPerSecond / r.Direct.RequestsPerSecond):0.00}x, p50 {Mean(r => r.Proxied.P50Milliseconds / r.Direct.P50Milliseconds):0.00}x, p99 {Mean(r => r.Proxied.P99Milliseconds / r.Direct.P99Milliseconds):0.00}x.");

Console.WriteLine(report);
if (options.ReportFile is { } file)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
    await File.WriteAllTextAsync(file, report.ToString());
}
return rounds.Sum(r => r.Direct.Failures + r.Proxied.Failures) == 0 ? 0 : 1;

public sealed record BenchOptions(string Scenario, string DemoFile, string ResourcesFile, int Concurrency, TimeSpan WarmUp, TimeSpan Duration,
    int Vaccinations, int Rounds, string? ReportFile, string? BenchUsersFile, int Results, int IngestParallel, int ExportConcurrency,
    int EventsPerSecond)
{
    public static BenchOptions Parse(string[] args)
    {
        string Arg(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var scenario = Arg("--scenario", "immunizations");
        return new BenchOptions(
            scenario,
            Arg("--demo", ".data/demo.json"),
            // Written by the AppHost once every resource is healthy, beside demo.json.
            Arg("--resources", Path.Combine(Path.GetDirectoryName(Arg("--demo", ".data/demo.json"))!, "resources.json")),
            // Records' reads do more work per request: fewer connections keep the latency from being mostly queueing.
            int.Parse(Arg("--concurrency", scenario is "records" or "appointments" ? "8" : "32"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(int.Parse(Arg("--warmup", "5"), CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(int.Parse(Arg("--duration", "20"), CultureInfo.InvariantCulture)),
            int.Parse(Arg("--vaccinations", "20"), CultureInfo.InvariantCulture),
            int.Parse(Arg("--rounds", scenario == "records" ? "2" : "3"), CultureInfo.InvariantCulture),
            Arg("--report", "") is { Length: > 0 } report ? report : null,
            Arg("--bench-users", "") is { Length: > 0 } users ? users : null,
            int.Parse(Arg("--results", "5000"), CultureInfo.InvariantCulture),
            int.Parse(Arg("--ingest-parallel", "8"), CultureInfo.InvariantCulture),
            int.Parse(Arg("--export-concurrency", "2"), CultureInfo.InvariantCulture),
            int.Parse(Arg("--events-per-second", "100"), CultureInfo.InvariantCulture));
    }
}
