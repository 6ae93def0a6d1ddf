using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gosuslugi.Health.Bench;
using Gosuslugi.Health.TestInfrastructure.Oidc;

// Measures an authenticated GET of the patient's vaccinations, straight to the Immunizations service
// and through the gateway, in one run on one machine. The system must be running (bench/run.sh starts it).
var options = BenchOptions.Parse(args);
var resources = await SystemUnderBench.WaitUntilReadyAsync(options.Dashboard, options.DemoFile, TimeSpan.FromMinutes(5));
var immunizationsUrl = resources["immunizations"];
var demo = JsonDocument.Parse(await File.ReadAllTextAsync(options.DemoFile)).RootElement;
var gateway = new Uri(demo.GetProperty("gateway").GetString()!.TrimEnd('/') + "/");

using var oidc = new OidcClient(gateway);
var organization = demo.GetProperty("medicalOrganization");
var orgToken = await oidc.ClientCredentialsAsync(organization.GetProperty("clientId").GetString()!, organization.GetProperty("clientSecret").GetString()!);
var patient = demo.GetProperty("patient");
var publicClient = demo.GetProperty("publicClient");
var patientToken = await oidc.SignInWithCodeAsync(
    publicClient.GetProperty("clientId").GetString()!, publicClient.GetProperty("redirectUri").GetString()!,
    patient.GetProperty("username").GetString()!, patient.GetProperty("password").GetString()!);

await ImmunizationSeed.EnsureAsync(gateway, orgToken.AccessToken, patientToken.AccessToken, patient.GetProperty("snils").GetString()!, options.Vaccinations);

var path = "api/v1/immunizations";
var direct = await LoadRun.RunAsync("direct to Immunizations", new Uri(immunizationsUrl, path), patientToken.AccessToken, options.Concurrency, options.WarmUp, options.Duration);
var proxied = await LoadRun.RunAsync("through the gateway", new Uri(gateway, path), patientToken.AccessToken, options.Concurrency, options.WarmUp, options.Duration);

var report = new StringBuilder()
    .AppendLine(CultureInfo.InvariantCulture, $"# GET /api/v1/immunizations — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}; .NET {Environment.Version}. Patient with {options.Vaccinations} vaccinations; {options.Concurrency} concurrent connections; {options.Duration.TotalSeconds:0} s after {options.WarmUp.TotalSeconds:0} s warm-up; load generator on the same machine.")
    .AppendLine()
    .AppendLine("| path | requests | failures | req/s | p50 ms | p99 ms |")
    .AppendLine("|---|---:|---:|---:|---:|---:|");
foreach (var r in new[] { direct, proxied })
    report.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Requests} | {r.Failures} | {r.RequestsPerSecond:0} | {r.P50Milliseconds:0.00} | {r.P99Milliseconds:0.00} |");
report.AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"Gateway / direct: throughput {proxied.RequestsPerSecond / direct.RequestsPerSecond:0.00}x, p50 {proxied.P50Milliseconds / direct.P50Milliseconds:0.00}x, p99 {proxied.P99Milliseconds / direct.P99Milliseconds:0.00}x.");

Console.WriteLine(report);
if (options.ReportFile is { } file)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
    await File.WriteAllTextAsync(file, report.ToString());
}
return direct.Failures + proxied.Failures == 0 ? 0 : 1;

internal sealed record BenchOptions(string DemoFile, Uri Dashboard, int Concurrency, TimeSpan WarmUp, TimeSpan Duration, int Vaccinations, string? ReportFile)
{
    public static BenchOptions Parse(string[] args)
    {
        string Arg(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        return new BenchOptions(
            Arg("--demo", ".data/demo.json"),
            new Uri(Arg("--dashboard", "http://127.0.0.1:18888").TrimEnd('/') + "/"),
            int.Parse(Arg("--concurrency", "32"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(int.Parse(Arg("--warmup", "5"), CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(int.Parse(Arg("--duration", "20"), CultureInfo.InvariantCulture)),
            int.Parse(Arg("--vaccinations", "20"), CultureInfo.InvariantCulture),
            Arg("--report", "") is { Length: > 0 } report ? report : null);
    }
}
