using System.Net.Http.Json;
using System.Net.Mail;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Xunit.Abstractions;

namespace Gosuslugi.Health.AppHost.Tests;

/// <summary>
/// Starts the real AppHost through Aspire.Hosting.Testing (fresh data folder, port base <see cref="PortBase"/>), waits
/// until every resource is Running and Healthy, checks the gateway and the development mailbox, stops it, and checks
/// that no process it started is still alive.
/// </summary>
public sealed class AppHostTests(ITestOutputHelper output)
{
    /// <summary>Its own ports: EndToEnd.Tests use 9400.., a developer's ./run.sh 8080/18888/55432...</summary>
    private const int PortBase = 9440;

    // About 2 minutes on an idle 2-core machine; far more when the machine is shared by many builds and test runs.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(25);

    [Fact]
    public async Task AppHost_starts_every_resource_healthy_and_leaves_no_process_behind()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("gh-apphost-test-").FullName;
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Gosuslugi_Health_AppHost>(
                ["--data-dir", dataDirectory, "--port-base", PortBase.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            var names = builder.Resources.Where(ReadySummary.IsAwaited).Select(r => r.Name).Append("postgres-init").ToArray();
            foreach (var expected in (string[])["postgres", "postgres-init", "rabbitmq", "rabbitmq-epmd", "redis", "smtp", "identity", "gateway",
                         "immunizationsdb", "notifications", "audit", "mailbox"])
            {
                names.ShouldContain(expected);
            }

            await using (var app = await builder.BuildAsync())
            {
                using var timeout = new CancellationTokenSource(StartTimeout);
                await app.StartAsync(timeout.Token);
                foreach (var name in names.Where(n => n != "postgres-init"))  // the init runs once and finishes
                {
                    await app.ResourceNotifications.WaitHealthyAsync(name, timeout.Token);
                    app.ResourceNotifications.TryGetCurrentState(name, out var state).ShouldBeTrue();
                    output.WriteLine($"{name,-16} {state!.Snapshot.State?.Text,-10} {state.Snapshot.HealthStatus}");
                    state.Snapshot.State?.Text.ShouldBe(KnownResourceStates.Running, name);
                }
                await app.ResourceNotifications.WaitForResourceAsync("postgres-init", KnownResourceStates.Finished, timeout.Token);

                // The gateway is the public entry; the data folder got its demo accounts and server secrets.
                using var gateway = app.CreateHttpClient("gateway");
                (await gateway.GetAsync("/health/live")).IsSuccessStatusCode.ShouldBeTrue();
                gateway.BaseAddress!.Port.ShouldBe(PortBase);
                File.Exists(Path.Combine(dataDirectory, "demo.json")).ShouldBeTrue();
                File.Exists(Path.Combine(dataDirectory, "secrets.json")).ShouldBeTrue();

                // HTTPS next to it: TLS 1.3 with the certificate of the local authority under tls/, which a client trusts.
                using var authority = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dataDirectory, "tls", "ca.crt"));
                using var https = new HttpClient(new SocketsHttpHandler
                {
                    SslOptions =
                    {
                        EnabledSslProtocols = SslProtocols.Tls13,
                        CertificateChainPolicy = new X509ChainPolicy
                        {
                            TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { authority },
                            RevocationMode = X509RevocationMode.NoCheck,
                        },
                    },
                });
                (await https.GetAsync($"https://127.0.0.1:{PortBase + 20}/health/live", timeout.Token)).IsSuccessStatusCode.ShouldBeTrue();

                // A mail to the development SMTP server shows up, decoded, in the mailbox resource.
                var smtp = new Uri((await app.GetConnectionStringAsync("smtp", timeout.Token))!);
                using (var client = new SmtpClient(smtp.Host, smtp.Port))
                using (var mail = new MailMessage("noreply@gosuslugi-health.example", "patient@example.test", "Моё здоровье: проверка", "Письмо из теста AppHost.")
                       { SubjectEncoding = Encoding.UTF8, BodyEncoding = Encoding.UTF8 })
                {
                    await client.SendMailAsync(mail, timeout.Token);
                }
                using var mailbox = app.CreateHttpClient("mailbox");
                var messages = await mailbox.GetFromJsonAsync<JsonElement>("/api/messages", timeout.Token);
                messages.EnumerateArray().ShouldContain(m => m.GetProperty("subject").GetString() == "Моё здоровье: проверка");
                (await mailbox.GetStringAsync("/", timeout.Token)).ShouldContain("Письмо из теста AppHost.");

                await app.StopAsync(CancellationToken.None);
            }

            // Servers, projects, the mailbox: every one of them named the data folder (command line or environment).
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            string[] left;
            while ((left = ProcessesMentioning(dataDirectory)).Length > 0 && DateTime.UtcNow < deadline) await Task.Delay(1000);
            left.ShouldBeEmpty();
        }
        finally
        {
            try { Directory.Delete(dataDirectory, recursive: true); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
    }

    private static string[] ProcessesMentioning(string text) =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(d => int.TryParse(d, out _))
            .Where(pid => pid != Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Select(pid => (pid, cmdline: Read($"/proc/{pid}/cmdline"), environ: Read($"/proc/{pid}/environ")))
            .Where(p => p.cmdline.Contains(text, StringComparison.Ordinal) || p.environ.Contains(text, StringComparison.Ordinal))
            .Select(p => $"{p.pid} {p.cmdline.Replace('\0', ' ')}")
            .ToArray();

    private static string Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return ""; }
    }
}
