using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Passkeys;
using Gosuslugi.Health.Identity.Seeding;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Gosuslugi.Health.TestInfrastructure.WebAuthn;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Identity.Tests.Passkeys;

/// <summary>What the passkey tests do again and again: call the account API as someone, run the sign-in factor.</summary>
public abstract class PasskeyTest(IdentityServiceFixture fixture) : IdentityTest(fixture)
{
    /// <summary>The page's origin: the public issuer's, as the browser reports it in clientDataJSON.</summary>
    protected const string Origin = "http://localhost";

    protected const string Passkeys = "/api/v1/account/passkeys";

    /// <summary>A new account of this test's own (a patient).</summary>
    protected async Task<Guid> NewPersonAsync() =>
        (await Fixture.WithScopeAsync(sp => sp.GetRequiredService<DemoDataSeeder>().CreatePatientAsync())).UserId;

    /// <summary>A client with the person's access token; by default just signed in with a second factor.</summary>
    protected async Task<HttpClient> ClientAsync(Guid userId, string[]? amr = null, DateTimeOffset? authTime = null) =>
        WithToken(await SignedInPerson.AccessTokenAsync(Fixture, userId, amr ?? SignedInPerson.WithSecondFactor, authTime));

    protected HttpClient WithToken(string accessToken)
    {
        var http = Fixture.CreateClient();
        http.DefaultRequestHeaders.Authorization = SignedInPerson.Bearer(accessToken);
        return http;
    }

    protected static async Task<string> CreationOptionsAsync(HttpClient http)
    {
        using var response = await http.PostAsync(Passkeys + "/options", null);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        return body;
    }

    protected static Task<HttpResponseMessage> PostCredentialAsync(HttpClient http, string credentialJson, string? name = "Телефон") =>
        http.PostAsJsonAsync(Passkeys, new JsonObject { ["name"] = name, ["credential"] = JsonNode.Parse(credentialJson) });

    /// <summary>The whole registration through the API; returns the new passkey's id.</summary>
    protected static async Task<string> RegisterAsync(HttpClient http, SoftwareAuthenticator authenticator, string name = "Телефон")
    {
        var credential = authenticator.CreateAttestation(await CreationOptionsAsync(http), Origin);
        using var response = await PostCredentialAsync(http, credential, name);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return authenticator.CredentialIdBase64Url;
    }

    protected static async Task<JsonElement[]> ListAsync(HttpClient http)
    {
        using var response = await http.GetAsync(Passkeys);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    /// <summary>Runs the sign-in factor in a scope of the running service, as one request of the second-factor page would.</summary>
    protected Task<T> WithFactorAsync<T>(Guid userId, Func<PasskeyFactor, HealthUser, HttpContext, Task<T>> action) =>
        Fixture.WithScopeAsync(async sp =>
        {
            var user = await sp.GetRequiredService<UserManager<HealthUser>>().FindByIdAsync(userId.ToString());
            return await action(sp.GetRequiredService<PasskeyFactor>(), user.ShouldNotBeNull(), new DefaultHttpContext { RequestServices = sp });
        });

    protected Task<string> BeginAssertionAsync(Guid userId) =>
        WithFactorAsync(userId, (factor, user, http) => factor.BeginAssertionAsync(user, http));

    protected Task<bool> CompleteAssertionAsync(Guid userId, string credentialJson) =>
        WithFactorAsync(userId, (factor, user, http) => factor.CompleteAssertionAsync(user, credentialJson, http));

    /// <summary>The security events the service put in its outbox for <paramref name="userId"/>, as JSON.</summary>
    protected Task<List<string>> SecurityEventsAsync(Guid userId) =>
        Fixture.WithDbAsync(async db =>
        {
            var payloads = await db.Set<OutboxMessage>()
                .Where(m => m.MessageType.EndsWith("SecurityEventRecorded"))
                .Select(m => m.Payload)
                .ToListAsync();
            return payloads.Where(p => p.Contains(userId.ToString(), StringComparison.OrdinalIgnoreCase)).ToList();
        });

    protected static async Task ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? detail = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", body);
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("status").GetInt32().ShouldBe((int)status);
        if (detail is not null) json.RootElement.GetProperty("detail").GetString().ShouldBe(detail);
    }

    protected static async Task<JsonElement> ValidationErrorsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("errors").Clone();
    }
}
