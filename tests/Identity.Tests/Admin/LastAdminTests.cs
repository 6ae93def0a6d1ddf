using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gosuslugi.Health.Identity.Tests.Interop;
using Gosuslugi.Health.TestInfrastructure.Oidc;
using static Gosuslugi.Health.Identity.Tests.Sessions.SessionTestSupport;

namespace Gosuslugi.Health.Identity.Tests.Admin;

/// <summary>On identity of its own, where the demo operator is the only one.</summary>
[Collection(OwnIdentityCollection.Name)]
public sealed class LastAdminTests(OwnIdentityFixture fixture)
{
    [Fact]
    public async Task The_last_operator_keeps_the_admin_role()
    {
        using var oidc = new OidcClient(fixture.Issuer);
        var client = fixture.Demo.PublicClient;
        var admin = await oidc.SignInWithCodeAsync(client.ClientId, client.RedirectUri, fixture.Demo.Admin.Username, fixture.Demo.Admin.Password,
            SecondFactor.AuthenticatorApp(fixture.Demo.Admin.TotpSecret!));
        var adminId = await fixture.UserIdAsync(fixture.Demo.Admin.Username);

        using var http = fixture.CreateClient();
        using var response = await SendAsync(http, HttpMethod.Put, $"/api/v1/admin/accounts/{adminId}/roles", admin.AccessToken,
            JsonContent.Create(new { roles = new[] { "patient" } }));

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict, body);
        var problem = JsonDocument.Parse(body).RootElement;
        problem.GetProperty("reason").GetString().ShouldBe("last_admin");
        problem.GetProperty("detail").GetString()!.ShouldMatch("[а-яА-Я]");

        using var card = await GetAsync(http, $"/api/v1/admin/accounts/{adminId}", admin.AccessToken);
        var roles = JsonDocument.Parse(await card.Content.ReadAsStringAsync()).RootElement.GetProperty("roles");
        roles.EnumerateArray().Select(r => r.GetString()).ShouldBe(["admin"]);
    }
}
