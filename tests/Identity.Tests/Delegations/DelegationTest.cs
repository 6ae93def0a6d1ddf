using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Seeding;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Gosuslugi.Health.Contracts;

namespace Gosuslugi.Health.Identity.Tests.Delegations;

/// <summary>People of each test's own, signed in through the real authorization endpoint, and the delegation calls.</summary>
public abstract class DelegationTest(IdentityServiceFixture fixture) : IdentityTest(fixture)
{
    public const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";
    public const string DelegationTokenType = "urn:gosuslugi:health:token-type:delegation";
    public const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    protected sealed record Person(DemoPatient Account, string AccessToken)
    {
        public Guid Id => Account.UserId;
    }

    /// <summary>A new patient at <paramref name="level"/> (set as an operator's verification would), signed in.</summary>
    protected async Task<Person> PersonAsync(AccountLevel level = AccountLevel.Confirmed)
    {
        var patient = await Fixture.WithScopeAsync(sp => sp.GetRequiredService<DemoDataSeeder>().CreatePatientAsync());
        await Fixture.WithDbAsync(db => db.Users.Where(u => u.Id == patient.UserId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.Level, level)));
        var tokens = await NewBrowser().SignInAndRedeemAsync(patient.Username, patient.Password);
        return new Person(patient, tokens.AccessToken);
    }

    protected HttpClient Api(string token)
    {
        var http = Fixture.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    protected static object ChildBody(string snils, DateOnly birthDate, string familyName = "Иванова", string givenName = "Софья") => new
    {
        familyName,
        givenName,
        middleName = "Алексеевна",
        birthDate,
        snils,
        sex = "female",
        birthCertificate = new { series = "IV-МЮ", number = "654321", issuedOn = birthDate.AddDays(12) },
    };

    protected static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>Links a new child (8 years old) to <paramref name="guardian"/>; returns the child's id and the delegation's.</summary>
    protected async Task<(Guid ChildId, Guid DelegationId, string Snils)> LinkChildAsync(Person guardian, DateOnly? birthDate = null)
    {
        var snils = Snils.Generate();
        using var api = Api(guardian.AccessToken);
        using var response = await api.PostAsJsonAsync("/api/v1/account/children", ChildBody(snils, birthDate ?? Today.AddYears(-8)));
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("child").GetProperty("id").GetGuid(), body.GetProperty("delegation").GetProperty("id").GetGuid(), snils);
    }

    /// <summary>A power of attorney from <paramref name="principal"/> to <paramref name="representative"/>.</summary>
    protected async Task<HttpResponseMessage> GrantAsync(Person principal, Person representative, string scope, DateTimeOffset validTo,
        DateTimeOffset? validFrom = null)
    {
        using var api = Api(principal.AccessToken);
        return await api.PostAsJsonAsync("/api/v1/account/delegations", new
        {
            representative = new { snils = representative.Account.Snils },
            powerOfAttorney = new { number = "77 АА 1234567", issuedOn = Today.AddDays(-1) },
            validFrom,
            validTo,
            scope,
        });
    }

    protected async Task<Guid> GrantIdAsync(Person principal, Person representative, string scope, DateTimeOffset validTo)
    {
        using var response = await GrantAsync(principal, representative, scope, validTo);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>RFC 8693 request from the public web client.</summary>
    protected async Task<HttpResponseMessage> ExchangeAsync(string subjectToken, string actorToken, string? scope = null,
        Dictionary<string, string>? changes = null)
    {
        var body = new Dictionary<string, string>
        {
            ["grant_type"] = TokenExchange,
            ["client_id"] = Demo.PublicClient.ClientId,
            ["subject_token"] = subjectToken,
            ["subject_token_type"] = DelegationTokenType,
            ["actor_token"] = actorToken,
            ["actor_token_type"] = AccessTokenType,
        };
        if (scope is not null) body["scope"] = scope;
        foreach (var (key, value) in changes ?? []) body[key] = value;
        using var http = Fixture.CreateClient();
        return await OAuthDriver.PostFormAsync(http, "/connect/token", body.Where(kv => kv.Value.Length > 0));
    }

    protected async Task<JsonElement> ExchangedAsync(Guid delegationId, Person actor, string? scope = null)
    {
        using var response = await ExchangeAsync(delegationId.ToString(), actor.AccessToken, scope);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The JSON payload of a JWT.</summary>
    protected static JsonElement Payload(string jwt) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(new JsonWebToken(jwt).EncodedPayload)).RootElement.Clone();

    /// <summary>Events identity committed to its outbox, of one type, as JSON.</summary>
    protected Task<List<JsonElement>> OutboxAsync<TEvent>() => Fixture.WithDbAsync(async db =>
        (await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType == typeof(TEvent).FullName)
            .Select(m => m.Payload)
            .ToListAsync())
        .Select(p => JsonDocument.Parse(p).RootElement.Clone())
        .ToList());
}
