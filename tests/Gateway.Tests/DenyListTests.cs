using System.Net;
using Gosuslugi.Health.Gateway.Tests.Infrastructure;
using Gosuslugi.Health.TestInfrastructure.Servers;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Gateway.Tests;

/// <summary>Signing out, ending a session and revoking a delegation stop the token at the gateway at once.</summary>
public sealed class DenyListTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    TokenDenyList DenyList => fixture.Gateway.Services.GetRequiredService<TokenDenyList>();

    async Task ShouldBeStoppedAtTheGatewayAsync(string token)
    {
        var path = $"/api/v1/immunizations?probe={Guid.NewGuid():N}";
        using var response = await fixture.GetAsync(path, token);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldContain("invalid_token");
        problem.GetRawText().ShouldNotContain("deny");
        fixture.Backends["immunizations"].Received.ShouldNotContain(r => r.PathAndQuery == path);
    }

    async Task ShouldPassAsync(string token)
    {
        using var response = await fixture.GetAsync("/api/v1/immunizations", token);
        (await GatewayFixture.EchoOf(response)).Service.ShouldBe("immunizations");
    }

    [Fact]
    public async Task A_signed_out_access_token_fails_at_the_gateway()
    {
        var patient = Guid.CreateVersion7();
        var token = fixture.Issuer.CreatePatientToken(patient);
        await ShouldPassAsync(token);

        var claims = TestTokenIssuer.ReadPayload(token);
        await DenyList.DenyTokenAsync(claims["jti"]!.GetValue<string>(),
            DateTimeOffset.FromUnixTimeSeconds(claims["exp"]!.GetValue<long>()), CancellationToken.None);

        await ShouldBeStoppedAtTheGatewayAsync(token);
        await ShouldPassAsync(fixture.Issuer.CreatePatientToken(patient));
    }

    [Fact]
    public async Task Every_token_of_an_ended_session_fails_at_the_gateway()
    {
        var session = Guid.CreateVersion7();
        var token = fixture.Issuer.CreatePatientToken(Guid.CreateVersion7(), sessionId: session);
        await ShouldPassAsync(token);

        await DenyList.DenySessionAsync(session, CancellationToken.None);

        await ShouldBeStoppedAtTheGatewayAsync(token);
        await ShouldBeStoppedAtTheGatewayAsync(fixture.Issuer.CreatePatientToken(Guid.CreateVersion7(), sessionId: session));
        await ShouldPassAsync(fixture.Issuer.CreatePatientToken(Guid.CreateVersion7(), sessionId: Guid.CreateVersion7()));
    }

    [Fact]
    public async Task A_revoked_delegations_tokens_fail_at_the_gateway()
    {
        var delegation = Guid.CreateVersion7();
        var token = fixture.Issuer.CreateDelegatedToken(Guid.CreateVersion7(), Guid.CreateVersion7(), delegation);
        await ShouldPassAsync(token);

        await DenyList.DenyDelegationAsync(delegation, CancellationToken.None);

        await ShouldBeStoppedAtTheGatewayAsync(token);
    }

    [Fact]
    public async Task Alg_none_and_wrong_audience_tokens_of_a_confirmed_patient_fail_at_the_gateway()
    {
        await ShouldBeStoppedAtTheGatewayAsync(fixture.Issuer.CreateUnsignedToken(Guid.CreateVersion7().ToString()));
        await ShouldBeStoppedAtTheGatewayAsync(fixture.Issuer.CreateTokenWithWrongAudience(Guid.CreateVersion7().ToString()));
    }
}

/// <summary>The gateway's Redis (the deny-list) is down.</summary>
public sealed class UnreachableRedisFixture : GatewayFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings(IReadOnlyDictionary<string, EchoBackend> backends) =>
        new Dictionary<string, string?> { ["ConnectionStrings:redis"] = $"127.0.0.1:{Ports.GetFree()}" };
}

public sealed class UnreachableDenyListTests(UnreachableRedisFixture fixture) : IClassFixture<UnreachableRedisFixture>
{
    [Fact]
    public async Task A_token_that_cannot_be_checked_is_refused_with_503_and_never_reaches_the_service()
    {
        var path = $"/api/v1/records?probe={Guid.NewGuid():N}";

        using var response = await fixture.GetAsync(path, fixture.PatientToken());

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.ShouldNotBeNull();
        problem.GetRawText().ShouldNotContain("127.0.0.1");
        fixture.Backends["records"].Received.ShouldNotContain(r => r.PathAndQuery == path);
    }

    [Fact]
    public async Task The_gateway_is_not_ready_but_public_routes_still_work()
    {
        using (var ready = await fixture.GetAsync("/health/ready"))
        {
            ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            (await ready.Content.ReadAsStringAsync()).ShouldContain("redis");
        }

        using var discovery = await fixture.GetAsync("/.well-known/openid-configuration");
        (await GatewayFixture.EchoOf(discovery)).Service.ShouldBe("identity");
    }
}
