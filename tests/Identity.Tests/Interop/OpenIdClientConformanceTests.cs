using System.Diagnostics;
using System.Text.Json;
using Gosuslugi.Health.TestInfrastructure;

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

        var (exitCode, output) = await RunAsync("node", ["conformance.mjs", fixture.IssuerUrl, fixture.DemoFile], folder);

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
