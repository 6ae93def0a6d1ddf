using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Delegations;
using Gosuslugi.Health.Identity.Domain;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Tests.Delegations;

/// <summary>RFC 8693: a guardian or representative exchanges their own token for one that acts for the other person.</summary>
public sealed class TokenExchangeTests(IdentityServiceFixture fixture) : DelegationTest(fixture)
{
    [Fact]
    public async Task A_guardian_links_a_child_and_gets_a_token_acting_for_the_child()
    {
        var guardian = await PersonAsync();
        var (childId, delegationId, _) = await LinkChildAsync(guardian);

        var response = await ExchangedAsync(delegationId, guardian);
        response.GetProperty("issued_token_type").GetString().ShouldBe(AccessTokenType);
        response.GetProperty("token_type").GetString().ShouldBe("Bearer");
        response.GetProperty("scope").GetString().ShouldBe("health.delegated.records health.delegated.appointments");
        response.TryGetProperty("refresh_token", out _).ShouldBeFalse();
        var expiresIn = response.GetProperty("expires_in").GetInt32();
        expiresIn.ShouldBeInRange(1, 3600); // the default: one hour, far below the 24-hour cap

        var token = response.GetProperty("access_token").GetString()!;
        (await ValidateAccessTokenAsync(token)).IsValid.ShouldBeTrue();
        var payload = Payload(token);
        payload.GetProperty("sub").GetString().ShouldBe(childId.ToString());
        payload.GetProperty("act").GetProperty("sub").GetString().ShouldBe(guardian.Id.ToString());
        payload.GetProperty("del").GetString().ShouldBe(delegationId.ToString());
        payload.GetProperty("role").GetString().ShouldBe("patient");
        payload.GetProperty("acc_level").GetString().ShouldBe("confirmed");
        payload.GetProperty("pd_consent").GetString().ShouldBe("true");
        payload.GetProperty("client_id").GetString().ShouldBe(Demo.PublicClient.ClientId);
        var lifetime = payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64();
        lifetime.ShouldBe(expiresIn);
        lifetime.ShouldBeLessThanOrEqualTo((long)TimeSpan.FromHours(24).TotalSeconds);
        // The actor's sign-in session: ending it stops this token too.
        var actorSession = Payload(guardian.AccessToken).TryGetProperty("sid", out var sid) ? sid.GetString() : null;
        (payload.TryGetProperty("sid", out var delegatedSid) ? delegatedSid.GetString() : null).ShouldBe(actorSession);

        var exchanged = (await OutboxAsync<SecurityEventRecorded>())
            .Where(e => e.GetProperty("kind").GetString() == SecurityEventKinds.TokenExchanged
                        && e.GetProperty("details").GetProperty("delegation_id").GetString() == delegationId.ToString())
            .ShouldHaveSingleItem();
        exchanged.GetProperty("subjectId").GetGuid().ShouldBe(childId);
        exchanged.GetProperty("actorId").GetGuid().ShouldBe(guardian.Id);
        exchanged.GetRawText().ShouldNotContain(token);
    }

    [Fact]
    public async Task The_scope_can_be_narrowed_but_never_widened()
    {
        var guardian = await PersonAsync();
        var (_, delegationId, _) = await LinkChildAsync(guardian);
        var narrowed = await ExchangedAsync(delegationId, guardian, scope: "health.delegated.records");
        narrowed.GetProperty("scope").GetString().ShouldBe("health.delegated.records");
        Payload(narrowed.GetProperty("access_token").GetString()!).GetProperty("scope").GetString().ShouldBe("health.delegated.records");

        using var own = await ExchangeAsync(delegationId.ToString(), guardian.AccessToken, scope: "health");
        await own.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task A_limited_delegation_cannot_give_the_whole_record_and_a_token_never_outlives_its_delegation()
    {
        Person principal = await PersonAsync(), representative = await PersonAsync();
        var validTo = DateTimeOffset.UtcNow.AddMinutes(30);
        var delegationId = await GrantIdAsync(principal, representative, "limited", validTo);

        using var wider = await ExchangeAsync(delegationId.ToString(), representative.AccessToken, scope: "health.delegated.records");
        await wider.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_scope");

        var response = await ExchangedAsync(delegationId, representative);
        response.GetProperty("scope").GetString().ShouldBe("health.delegated.limited");
        response.GetProperty("expires_in").GetInt32().ShouldBeInRange(1, 30 * 60);
        var payload = Payload(response.GetProperty("access_token").GetString()!);
        payload.GetProperty("exp").GetInt64().ShouldBeLessThanOrEqualTo(validTo.ToUnixTimeSeconds());
        payload.GetProperty("sub").GetString().ShouldBe(principal.Id.ToString());

        var refused = (await OutboxAsync<SecurityEventRecorded>())
            .Where(e => e.GetProperty("kind").GetString() == SecurityEventKinds.TokenExchangeRefused
                        && e.GetProperty("actorId").ValueKind != JsonValueKind.Null
                        && e.GetProperty("actorId").GetGuid() == representative.Id)
            .ShouldHaveSingleItem();
        refused.GetProperty("details").GetProperty("reason").GetString().ShouldBe("scope_exceeds_delegation");
        refused.GetProperty("outcome").GetString().ShouldBe("failure");
    }

    [Fact]
    public async Task Revoking_a_delegation_refuses_new_exchanges_and_stops_issued_tokens_at_once()
    {
        var guardian = await PersonAsync();
        var (childId, delegationId, _) = await LinkChildAsync(guardian);
        var delegated = (await ExchangedAsync(delegationId, guardian)).GetProperty("access_token").GetString()!;

        // A guardian with manage may act on the child's account: the delegated token works on identity's API.
        using (var asChild = Api(delegated))
        {
            using var before = await asChild.GetAsync("/api/v1/account/restrictions");
            before.StatusCode.ShouldBe(HttpStatusCode.OK, await before.Content.ReadAsStringAsync());
        }

        using (var api = Api(guardian.AccessToken))
        {
            using var revoked = await api.DeleteAsync($"/api/v1/account/delegations/{delegationId}");
            revoked.StatusCode.ShouldBe(HttpStatusCode.NoContent, await revoked.Content.ReadAsStringAsync());
        }

        using (var asChild = Api(delegated))
        {
            using var after = await asChild.GetAsync("/api/v1/account/restrictions");
            after.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            after.Headers.WwwAuthenticate.ToString().ShouldContain("invalid_token");
        }
        using (var userinfo = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo"))
        {
            userinfo.Headers.Authorization = new AuthenticationHeaderValue("Bearer", delegated);
            using var http = Fixture.CreateClient();
            (await http.SendAsync(userinfo)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using var again = await ExchangeAsync(delegationId.ToString(), guardian.AccessToken);
        await again.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");

        var revokedEvent = (await OutboxAsync<DelegationRevoked>())
            .Single(e => e.GetProperty("delegationId").GetGuid() == delegationId);
        revokedEvent.GetProperty("patientId").GetGuid().ShouldBe(childId);
        revokedEvent.GetProperty("revokedBy").GetGuid().ShouldBe(guardian.Id);
        (await OutboxAsync<SecurityEventRecorded>()).ShouldContain(e =>
            e.GetProperty("kind").GetString() == SecurityEventKinds.DelegationRevoked
            && e.GetProperty("details").GetProperty("delegation_id").GetString() == delegationId.ToString());
    }

    [Fact]
    public async Task Another_persons_delegation_an_unknown_id_or_garbage_is_invalid_grant()
    {
        var guardian = await PersonAsync();
        var stranger = await PersonAsync();
        var (childId, delegationId, _) = await LinkChildAsync(guardian);

        foreach (var subject in new[] { delegationId.ToString(), Guid.CreateVersion7().ToString(), "not-a-delegation" })
        {
            using var response = await ExchangeAsync(subject, stranger.AccessToken);
            await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
            (await response.Content.ReadAsStringAsync()).ShouldNotContain(childId.ToString());
        }
        // The child's journal shows that a stranger tried.
        (await OutboxAsync<SecurityEventRecorded>()).ShouldContain(e =>
            e.GetProperty("kind").GetString() == SecurityEventKinds.TokenExchangeRefused
            && e.GetProperty("subjectId").ValueKind == JsonValueKind.String && e.GetProperty("subjectId").GetGuid() == childId
            && e.GetProperty("details").GetProperty("reason").GetString() == "foreign_delegation");
    }

    [Fact]
    public async Task An_unconfirmed_representative_cannot_act()
    {
        Person principal = await PersonAsync(), representative = await PersonAsync(AccountLevel.Standard);
        var delegationId = await GrantIdAsync(principal, representative, "all", DateTimeOffset.UtcNow.AddDays(30));

        using var response = await ExchangeAsync(delegationId.ToString(), representative.AccessToken);
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_delegated_token_cannot_be_exchanged_again()
    {
        var guardian = await PersonAsync();
        var (_, delegationId, _) = await LinkChildAsync(guardian);
        var delegated = (await ExchangedAsync(delegationId, guardian)).GetProperty("access_token").GetString()!;

        using var response = await ExchangeAsync(delegationId.ToString(), delegated);
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "subject_token_type", "urn:ietf:params:oauth:token-type:access_token", "invalid_request" },
        { "actor_token_type", "urn:ietf:params:oauth:token-type:id_token", "invalid_request" },
        { "actor_token", "", "invalid_request" },
        // An unsigned actor token: OpenIddict refuses it as an invalid grant.
        { "actor_token", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "invalid_grant" },
        { "subject_token", "", "invalid_request" },
        { "requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token", "invalid_request" },
        { "audience", "another-api", "invalid_target" },
        { "resource", "https://elsewhere.example/", "invalid_target" },
        { "scope", "health.delegated.records  health.delegated.appointments", "invalid_scope" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_malformed_exchange_is_refused_with_the_RFC_8693_error(string parameter, string value, string error)
    {
        var guardian = await PersonAsync();
        var (_, delegationId, _) = await LinkChildAsync(guardian);
        using var response = await ExchangeAsync(delegationId.ToString(), guardian.AccessToken, changes: new() { [parameter] = value });
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, error);
    }

    [Fact]
    public async Task A_client_not_allowed_the_grant_is_refused()
    {
        var guardian = await PersonAsync();
        var (_, delegationId, _) = await LinkChildAsync(guardian);
        var organization = Demo.MedicalOrganization;
        using var http = Fixture.CreateClient();
        using var response = await OAuthDriver.PostFormAsync(http, "/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = TokenExchange,
            ["subject_token"] = delegationId.ToString(),
            ["subject_token_type"] = DelegationTokenType,
            ["actor_token"] = guardian.AccessToken,
            ["actor_token_type"] = AccessTokenType,
        }, OAuthDriver.Basic(organization.ClientId, organization.ClientSecret));
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "unauthorized_client");
    }

    [Theory]
    [InlineData("1.00:00:01")]
    [InlineData("00:00:00")]
    public void The_delegated_token_lifetime_cannot_be_configured_beyond_24_hours(string lifetime)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Identity:DelegatedAccessTokenLifetime"] = lifetime }).Build());
        services.AddDelegations();
        using var provider = services.BuildServiceProvider();
        Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DelegationOptions>>().Value);
    }
}
