using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Gosuslugi.Health.TestInfrastructure.Servers;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.ServiceDefaults.Caching;
using Gosuslugi.Health.ServiceDefaults.Tests.TestData;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Gosuslugi.Health.ServiceDefaults.Tests;

/// <summary>A host with a patient endpoint and the token issuer, on the shared Redis.</summary>
public sealed class DenyListFixture : IAsyncLifetime
{
    public TestTokenIssuer Issuer { get; private set; } = null!;
    public WebApplication App { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public TokenDenyList DenyList => App.Services.GetRequiredService<TokenDenyList>();
    public IKeyValueStore Store => App.Services.GetRequiredService<IKeyValueStore>();

    public async Task InitializeAsync()
    {
        Issuer = await TestTokenIssuer.StartAsync();
        App = await TestHost.StartAsync(Issuer.Configuration.ToDictionary(), map: app =>
        {
            app.MapGet("/me", (HttpContext c) => TypedResults.Ok(new { sub = c.User.GetSubjectId() })).RequireAuthorization(Policies.Patient);
            app.MapGet("/public", () => TypedResults.Ok("anyone"));
        });
        Client = App.GetTestClient();
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Client.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}

public sealed class TokenDenyListTests(DenyListFixture f) : IClassFixture<DenyListFixture>
{
    private static ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));

    [Fact]
    public async Task A_denied_token_id_stays_on_the_list_until_the_token_expires_plus_the_clock_skew()
    {
        var jti = Guid.NewGuid().ToString("N");
        await f.DenyList.DenyTokenAsync(jti, DateTimeOffset.UtcNow.AddMinutes(10), CancellationToken.None);

        var ttl = await f.Store.GetTimeToLiveAsync("deny:jti:" + jti);
        ttl.ShouldNotBeNull().ShouldBeInRange(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(30));
        (await f.DenyList.IsDeniedAsync(Principal(("jti", jti)), CancellationToken.None)).ShouldBeTrue();
        (await f.DenyList.IsDeniedAsync(Principal(("jti", jti + "x")), CancellationToken.None)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_token_that_expired_long_ago_is_not_written_at_all()
    {
        var jti = Guid.NewGuid().ToString("N");
        await f.DenyList.DenyTokenAsync(jti, DateTimeOffset.UtcNow.AddMinutes(-5), CancellationToken.None);
        (await f.Store.GetAsync("deny:jti:" + jti)).ShouldBeNull();
    }

    [Fact]
    public async Task Sessions_and_delegations_stay_denied_for_25_hours_and_match_whatever_the_guid_case()
    {
        var session = Guid.NewGuid();
        var delegation = Guid.NewGuid();
        await f.DenyList.DenySessionAsync(session, CancellationToken.None);
        await f.DenyList.DenyDelegationAsync(delegation, CancellationToken.None);

        (await f.Store.GetTimeToLiveAsync($"deny:sid:{session}")).ShouldNotBeNull()
            .ShouldBeInRange(TimeSpan.FromHours(25) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(25));
        (await f.Store.GetTimeToLiveAsync($"deny:del:{delegation}")).ShouldNotBeNull()
            .ShouldBeInRange(TimeSpan.FromHours(25) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(25));

        var jti = ("jti", Guid.NewGuid().ToString("N"));
        (await f.DenyList.IsDeniedAsync(Principal(jti, ("sid", session.ToString().ToUpperInvariant())), CancellationToken.None)).ShouldBeTrue();
        (await f.DenyList.IsDeniedAsync(Principal(jti, ("del", delegation.ToString())), CancellationToken.None)).ShouldBeTrue();
        (await f.DenyList.IsDeniedAsync(Principal(jti, ("sid", Guid.NewGuid().ToString()), ("del", Guid.NewGuid().ToString())), CancellationToken.None))
            .ShouldBeFalse();
    }

    [Fact]
    public async Task Exists_counts_the_keys_that_exist_in_one_command()
    {
        var prefix = "t:" + Guid.NewGuid().ToString("N")[..8] + ":";
        await f.Store.SetAsync(prefix + "a", "1", TimeSpan.FromMinutes(1));
        await f.Store.SetAsync(prefix + "b", "1", TimeSpan.FromMinutes(1));

        (await f.Store.ExistsAsync([prefix + "a", prefix + "b", prefix + "c"])).ShouldBe(2);
        (await f.Store.ExistsAsync([prefix + "c"])).ShouldBe(0);
        (await f.Store.ExistsAsync([])).ShouldBe(0);
    }

    [Fact]
    public async Task A_token_is_refused_with_401_once_its_jti_session_or_delegation_is_denied()
    {
        var patient = Guid.CreateVersion7();
        var session = Guid.CreateVersion7();
        var byJti = f.Issuer.CreatePatientToken(patient);
        var bySession = f.Issuer.CreatePatientToken(patient, sessionId: session);
        var delegation = Guid.CreateVersion7();
        var byDelegation = f.Issuer.CreateToken(patient.ToString(), ["patient"], ["health"],
            new Dictionary<string, object> { ["del"] = delegation.ToString() });
        var untouched = f.Issuer.CreatePatientToken(patient, sessionId: Guid.CreateVersion7());
        foreach (var token in new[] { byJti, bySession, byDelegation, untouched })
        {
            using var before = await f.GetAsync("/me", token);
            before.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var payload = TestTokenIssuer.ReadPayload(byJti);
        await f.DenyList.DenyTokenAsync(payload["jti"]!.GetValue<string>(),
            DateTimeOffset.FromUnixTimeSeconds(payload["exp"]!.GetValue<long>()), CancellationToken.None);
        await f.DenyList.DenySessionAsync(session, CancellationToken.None);
        await f.DenyList.DenyDelegationAsync(delegation, CancellationToken.None);

        foreach (var token in new[] { byJti, bySession, byDelegation })
        {
            using var after = await f.GetAsync("/me", token);
            after.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            after.Headers.WwwAuthenticate.ToString().ShouldContain("error=\"invalid_token\"");
            after.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }

        using var stillFine = await f.GetAsync("/me", untouched);
        stillFine.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_check_survives_a_host_that_replaces_the_key_source_the_way_identity_does()
    {
        // identity validates its own tokens with keys from its database: it swaps the ConfigurationManager in a
        // PostConfigure. The deny-list check lives in the events, which must stay.
        var jwks = new JsonWebKeySet(f.Issuer.JwksJson());
        var configuration = new OpenIdConnectConfiguration();
        foreach (var key in jwks.GetSigningKeys()) configuration.SigningKeys.Add(key);
        await using var app = await TestHost.StartAsync(f.Issuer.Configuration.ToDictionary(),
            builder => builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
                .PostConfigure(o => o.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration)),
            map: a => a.MapGet("/me", () => "ok").RequireAuthorization(Policies.Patient));
        using var client = app.GetTestClient();
        var token = f.Issuer.CreatePatientToken(Guid.CreateVersion7(), sessionId: Guid.CreateVersion7());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        (await client.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await f.DenyList.DenySessionAsync(Guid.Parse(TestTokenIssuer.ReadPayload(token)["sid"]!.GetValue<string>()), CancellationToken.None);
        (await client.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task When_redis_does_not_answer_a_token_is_refused_with_a_503_problem_not_let_through()
    {
        await using var app = await TestHost.StartAsync(
            new Dictionary<string, string?>(f.Issuer.Configuration) { ["ConnectionStrings:redis"] = $"127.0.0.1:{Ports.GetFree()}" },
            map: a =>
            {
                a.MapGet("/me", () => "medical data").RequireAuthorization(Policies.Patient);
                a.MapGet("/public", () => "anyone");
            });
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", f.Issuer.CreatePatientToken(Guid.CreateVersion7()));

        using var response = await client.GetAsync("/me");

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        response.Headers.RetryAfter.ShouldNotBeNull();
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("detail").GetString().ShouldBe("Не удалось проверить действительность входа. Повторите попытку через несколько секунд.");
        text.ShouldNotContain("medical data");
        text.ShouldNotContain("127.0.0.1");

        // What needs no token keeps working.
        using var open = await client.GetAsync("/public");
        open.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
