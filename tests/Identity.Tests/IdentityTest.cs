using Gosuslugi.Health.Identity.Accounts;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gosuslugi.Health.Identity.Tests;

[Collection(IdentityCollection.Name)]
public abstract class IdentityTest(IdentityServiceFixture fixture)
{
    protected IdentityServiceFixture Fixture => fixture;
    protected DemoAccounts Demo => fixture.Demo;

    /// <summary>
    /// A new patient of the test's own, with an authenticator app. A person's TOTP code is accepted once and only
    /// the current step ±1 is, so one person can sign in about once per 30 seconds: a test that signs in uses its own.
    /// </summary>
    protected Task<DemoPatient> NewPatientAsync() =>
        fixture.WithScopeAsync(sp => sp.GetRequiredService<DemoDataSeeder>().CreatePatientAsync());

    /// <summary>The person's passport and OMS policy as the service opens them: the users table holds them sealed.</summary>
    protected Task<OpenedDocuments> DocumentsAsync(Guid userId) => fixture.WithScopeAsync(async sp =>
    {
        var user = await sp.GetRequiredService<IdentityDb>().Users.AsNoTracking().SingleAsync(u => u.Id == userId);
        return await sp.GetRequiredService<PersonDocuments>().OpenAsync(user, CancellationToken.None);
    });

    /// <summary>A fresh browser (no cookies) acting for the public web client.</summary>
    protected OAuthDriver NewBrowser() => new(fixture.CreateClient(), Demo.PublicClient.ClientId, Demo.PublicClient.RedirectUri, fixture);

    protected async Task<JsonWebKeySet> GetJwksAsync()
    {
        using var http = fixture.CreateClient();
        return new JsonWebKeySet(await http.GetStringAsync("/.well-known/jwks.json"));
    }

    /// <summary>Validates an access token the way the gateway and every service do (ServiceDefaults' rules), keys from the JWKS.</summary>
    protected async Task<TokenValidationResult> ValidateAccessTokenAsync(string token)
    {
        var jwks = await GetJwksAsync();
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = IdentityServiceFixture.Issuer,
            ValidAudience = IdentityServiceFixture.Audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidTypes = ["at+jwt"],
            ClockSkew = TimeSpan.FromSeconds(30),
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        });
    }
}
