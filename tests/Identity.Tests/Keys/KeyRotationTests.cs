using System.Net;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Seeding;
using Gosuslugi.Health.Identity.Tests.Interop;
using Gosuslugi.Health.Identity.Tokens;
using Gosuslugi.Health.TestInfrastructure.Oidc;
using TokenResponse = Gosuslugi.Health.TestInfrastructure.Oidc.TokenResponse;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static Gosuslugi.Health.Identity.Tests.Sessions.SessionTestSupport;

namespace Gosuslugi.Health.Identity.Tests.Keys;

/// <summary>
/// Signing keys rotate without a moment in which a valid token fails: the JWKS publishes the next key ahead of time and
/// the previous one until its tokens have expired. On identity of its own, so that the key set is this test's alone.
/// </summary>
[Collection(OwnIdentityCollection.Name)]
public sealed class KeyRotationTests(OwnIdentityFixture fixture)
{
    private const string RotationPath = "/api/v1/admin/signing-keys/rotation";

    private async Task<List<string>> PublishedKeyIdsAsync()
    {
        using var http = fixture.CreateClient();
        var jwks = new JsonWebKeySet(await http.GetStringAsync("/.well-known/jwks.json"));
        return jwks.Keys.Select(k => k.Kid).ToList();
    }

    private async Task<TokenResponse> SignInAsync(IDemoPerson person)
    {
        using var oidc = new OidcClient(fixture.Issuer);
        var client = fixture.Demo.PublicClient;
        return await oidc.SignInWithCodeAsync(client.ClientId, client.RedirectUri, person.Username, person.Password,
            SecondFactor.AuthenticatorApp(person.TotpSecret!));
    }

    /// <summary>The rules of ServiceDefaults' bearer validation (gateway and services), keys from the JWKS over HTTP.</summary>
    private async Task<TokenValidationResult> ValidateLikeAServiceAsync(string token)
    {
        using var http = fixture.CreateClient();
        var jwks = new JsonWebKeySet(await http.GetStringAsync("/.well-known/jwks.json"));
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = fixture.IssuerUrl,
            ValidAudience = IdentityServiceFixture.Audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidTypes = ["at+jwt"],
            ClockSkew = TimeSpan.FromSeconds(30),
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        });
    }

    [Fact]
    public async Task A_rotation_publishes_three_keys_keeps_old_tokens_valid_and_signs_with_the_former_next_key()
    {
        var before = await PublishedKeyIdsAsync();
        before.Count.ShouldBe(2, "the current key and the next one");
        var patient = await SignInAsync(fixture.Demo.Patient);
        var oldToken = new JsonWebToken(patient.AccessToken);
        oldToken.Kid.ShouldBe(before[0], "the current key is listed first and is the only one that signs");
        var formerNext = before[1];

        using var http = fixture.CreateClient();
        using (var anonymous = await SendAsync(http, HttpMethod.Post, RotationPath, token: null))
        {
            anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        using (var notAdmin = await SendAsync(http, HttpMethod.Post, RotationPath, patient.AccessToken))
        {
            notAdmin.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
        (await PublishedKeyIdsAsync()).ShouldBe(before);

        var admin = await SignInAsync(fixture.Demo.Admin);
        using (var rotated = await SendAsync(http, HttpMethod.Post, RotationPath, admin.AccessToken))
        {
            var body = await rotated.Content.ReadAsStringAsync();
            rotated.StatusCode.ShouldBe(HttpStatusCode.OK, body);
            var result = JsonDocument.Parse(body).RootElement;
            result.GetProperty("previousKeyId").GetString().ShouldBe(before[0]);
            result.GetProperty("currentKeyId").GetString().ShouldBe(formerNext);
            result.GetProperty("nextKeyId").GetString().ShouldNotBeNull().ShouldNotBeOneOf(before.ToArray());
        }

        var after = await PublishedKeyIdsAsync();
        after.Count.ShouldBe(3, "current, next and previous");
        after.ShouldContain(before[0]);
        after[0].ShouldBe(formerNext);

        // A token signed before the rotation still works: at identity's own bearer validation and by a service's rules.
        using (var userInfo = await GetAsync(http, "/connect/userinfo", patient.AccessToken))
        {
            userInfo.StatusCode.ShouldBe(HttpStatusCode.OK, await userInfo.Content.ReadAsStringAsync());
        }
        using (var sessions = await GetAsync(http, SessionsPath, patient.AccessToken))
        {
            sessions.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        var validation = await ValidateLikeAServiceAsync(patient.AccessToken);
        validation.IsValid.ShouldBeTrue(validation.Exception?.Message);

        // New tokens carry the former next key.
        using var oidc = new OidcClient(fixture.Issuer);
        var refreshed = await oidc.RefreshAsync(fixture.Demo.PublicClient.ClientId, patient.RefreshToken!);
        new JsonWebToken(refreshed.AccessToken).Kid.ShouldBe(formerNext);
        new JsonWebToken(refreshed.IdToken ?? (await SignInAsync(fixture.Demo.Patient)).IdToken!)
            .Kid.ShouldBe(formerNext);
        (await ValidateLikeAServiceAsync(refreshed.AccessToken)).IsValid.ShouldBeTrue();

        var adminId = await fixture.UserIdAsync(fixture.Demo.Admin.Username);
        var events = await SecurityEventsAsync(fixture.Factory.Services, null, SecurityEventKinds.SigningKeyRotated);
        var recorded = events.ShouldHaveSingleItem();
        recorded.ActorId.ShouldBe(adminId);
        recorded.Details["current_kid"].ShouldBe(formerNext);
        recorded.Details["previous_kid"].ShouldBe(before[0]);
    }

    [Fact]
    public async Task The_schedule_leaves_a_key_that_is_not_due()
    {
        var before = await PublishedKeyIdsAsync();
        var keys = fixture.Factory.Services.GetRequiredService<SigningKeyStore>();

        var rotation = await keys.RotateAsync(actorId: null, onlyIfCurrentOlderThan: TimeSpan.FromDays(30), CancellationToken.None);

        rotation.ShouldBeNull();
        (await PublishedKeyIdsAsync()).ShouldBe(before);
    }
}
