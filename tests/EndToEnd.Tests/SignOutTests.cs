using System.Net;
using System.Net.Http.Headers;
using Gosuslugi.Health.TestInfrastructure.Oidc;

namespace Gosuslugi.Health.EndToEnd.Tests;

/// <summary>
/// Signing out through the gateway stops the access token at the gateway at once, not when it expires: identity puts
/// its jti and session on the deny-list in Redis, which the gateway checks with every token.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class SignOutTests(HealthSystem system)
{
    [Fact]
    public async Task After_signing_out_the_same_access_token_is_refused_at_the_gateway()
    {
        var client = system.Accounts.PublicClient;
        var patient = system.Accounts.Patient;
        using var oidc = new OidcClient(system.GatewayUrl);
        var tokens = await oidc.SignInWithCodeAsync(client.ClientId, client.RedirectUri, patient.Username, patient.Password,
            SecondFactor.AuthenticatorApp(patient.TotpSecret!));

        using var api = new HttpClient { BaseAddress = system.GatewayUrl };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        using (var before = await api.GetAsync("api/v1/immunizations"))
        {
            before.StatusCode.ShouldBe(HttpStatusCode.OK, await before.Content.ReadAsStringAsync());
        }

        using (var signOut = await api.PostAsync("api/v1/account/signout", content: null))
        {
            signOut.StatusCode.ShouldBe(HttpStatusCode.NoContent, await signOut.Content.ReadAsStringAsync());
        }

        using (var after = await api.GetAsync("api/v1/immunizations"))
        {
            after.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            after.Headers.WwwAuthenticate.ShouldContain(h => h.Scheme == "Bearer");
        }
        await Should.ThrowAsync<InvalidOperationException>(() => oidc.RefreshAsync(client.ClientId, tokens.RefreshToken!));
    }
}
