using System.Net;
using Gosuslugi.Health.Gateway.Tests.Infrastructure;

namespace Gosuslugi.Health.Gateway.Tests;

/// <summary>identity's JWKS cannot be reached.</summary>
public sealed class UnreachableIdentityFixture : GatewayFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings(IReadOnlyDictionary<string, EchoBackend> backends) =>
        new Dictionary<string, string?> { ["Identity:Url"] = GatewayApp.ClosedPortUrl() };
}

public sealed class HealthTests(UnreachableIdentityFixture fixture) : IClassFixture<UnreachableIdentityFixture>
{
    [Fact]
    public async Task Without_identitys_signing_keys_the_gateway_is_live_but_not_ready()
    {
        using (var live = await fixture.GetAsync("/health/live"))
        {
            live.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var ready = await fixture.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var body = await ready.Content.ReadAsStringAsync();
        body.ShouldContain("identity-signing-keys");
        body.ShouldNotContain("127.0.0.1");
    }

    [Fact]
    public async Task Without_signing_keys_even_a_well_formed_token_is_refused()
    {
        using var response = await fixture.GetAsync("/api/v1/immunizations", fixture.PatientToken());

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Public_routes_still_work()
    {
        using var response = await fixture.GetAsync("/.well-known/openid-configuration");

        (await GatewayFixture.EchoOf(response)).Service.ShouldBe("identity");
    }
}
