using System.Diagnostics;
using System.Text.Json;
using Gosuslugi.Health.Identity.Seeding;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Identity.Tests.Interop;

/// <summary>
/// identity on a real socket, used by openid-client from npm, unmodified (an OpenID-certified relying party):
/// tools/oidc-conformance/conformance.mjs runs every check and prints one JSON line each. The same script runs against
/// <c>./run.sh</c> (README: "OpenID Connect conformance").
/// </summary>
[Collection(OwnIdentityCollection.Name)]
public sealed class OpenIdClientConformanceTests(OwnIdentityFixture fixture)
{
    [Fact]
    public async Task Openid_client_passes_every_check()
    {
        var folder = Path.Combine(RepositoryFolders.Root(), "tools", "oidc-conformance");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "openid-client")))
            (await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder)).ExitCode.ShouldBe(0, "npm ci");

        // Accounts of its own: a TOTP code is accepted once per 30-second step, and the collection's other tests sign the
        // demo patient in too.
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var accounts = await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().CreateDemoAccountsAsync();
        var demoFile = Path.Combine(Path.GetTempPath(), $"oidc-conformance-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(demoFile, JsonSerializer.Serialize(accounts, JsonSerializerOptions.Web));
        try
        {
            var (exitCode, output) = await RunAsync("node", ["conformance.mjs", fixture.IssuerUrl, demoFile], folder);
            AssertEveryCheckPassed(exitCode, output);
        }
        finally
        {
            File.Delete(demoFile);
        }
    }

    private static void AssertEveryCheckPassed(int exitCode, string output)
    {
        var checks = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(c => c.GetProperty("check").GetString()!, c => c.GetProperty("ok").GetBoolean());
        checks.Keys.ShouldBe([
            "discovery", "pkce_s256_only", "code_pkce_second_factor", "single_use_code", "userinfo", "refresh_rotation",
            "revocation", "refresh_reuse_detection", "end_session", "client_credentials", "introspection",
        ], ignoreOrder: true, output);
        checks.Where(c => !c.Value).Select(c => c.Key).ShouldBeEmpty(output);
        exitCode.ShouldBe(0, output);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, string folder)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
