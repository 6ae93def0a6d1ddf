using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Tests.Passkeys;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Identity.Tests.Accounts;

/// <summary>A person registered through the API in a test: what they typed and the account they got.</summary>
public sealed record RegisteredPerson(Guid UserId, string Phone, string Email, string Password);

/// <summary>What the account tests do again and again: register someone, call the account API as someone, read the mailbox and the outbox.</summary>
public abstract class AccountTest(IdentityServiceFixture fixture) : IdentityTest(fixture)
{
    protected const string Registrations = "/api/v1/account/registrations";
    protected const string Profile = "/api/v1/account/profile";
    protected const string Consent = "/api/v1/account/consent";
    protected const string Recovery = "/api/v1/account/recovery";
    protected const string ConsentVersion = "2026-1";

    protected static readonly TimeSpan MailTimeout = TimeSpan.FromSeconds(10);

    protected Mailbox Mailbox => Fixture.Mailbox;

    /// <summary>A mobile number nobody in this test run has (+79XXXXXXXXX).</summary>
    protected static string NewPhone() => "+79" + RandomNumberGenerator.GetInt32(0, 1_000_000_000).ToString("D9");

    protected static string NewEmail() => $"person-{Guid.NewGuid():N}@example.test";

    /// <summary>Long and uncommon, as the policy wants.</summary>
    protected static string NewPassword() => "зелёный-чайник-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    protected static object RegistrationBody(string phone, string email, string password, DateOnly? birthDate = null) => new
    {
        familyName = "Иванова",
        givenName = "Мария",
        middleName = "Сергеевна",
        birthDate = (birthDate ?? new DateOnly(1990, 5, 17)).ToString("yyyy-MM-dd"),
        phone,
        email,
        password,
        personalDataConsent = true,
        consentVersion = ConsentVersion,
    };

    protected async Task<Guid> StartRegistrationAsync(HttpClient http, string phone, string email, string password)
    {
        using var response = await http.PostAsJsonAsync(Registrations, RegistrationBody(phone, email, password));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("registrationId").GetGuid();
    }

    /// <summary>The whole registration through the API, codes from the mailbox: a simplified patient.</summary>
    protected async Task<RegisteredPerson> RegisterAsync()
    {
        using var http = Fixture.CreateClient();
        var (phone, email, password) = (NewPhone(), NewEmail(), NewPassword());
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var id = await StartRegistrationAsync(http, phone, email, password);
        var smsCode = await Mailbox.WaitForCodeAsync(phone, since, MailTimeout);
        var emailCode = await Mailbox.WaitForCodeAsync(email, since, MailTimeout);
        using var response = await http.PostAsJsonAsync($"{Registrations}/{id}/confirmation", new { smsCode, emailCode });
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        using var json = JsonDocument.Parse(body);
        return new RegisteredPerson(json.RootElement.GetProperty("userId").GetGuid(), phone, email, password);
    }

    /// <summary>
    /// A client with an access token of <paramref name="userId"/> signed by identity's own key: with a fresh second factor
    /// unless <paramref name="amr"/> says otherwise.
    /// </summary>
    protected async Task<HttpClient> ClientAsync(Guid userId, string[]? amr = null, DateTimeOffset? authTime = null, string role = "patient")
    {
        var http = Fixture.CreateClient();
        var token = await SignedInPerson.AccessTokenAsync(Fixture, userId, amr ?? SignedInPerson.WithSecondFactor, authTime,
            new Dictionary<string, object> { ["role"] = role });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    protected Task<HttpClient> AdminClientAsync() => ClientAsync(Demo.Admin.UserId, role: "admin");

    protected Task<HealthUser> UserAsync(Guid userId) =>
        Fixture.WithScopeAsync(async sp => (await sp.GetRequiredService<UserManager<HealthUser>>().FindByIdAsync(userId.ToString())).ShouldNotBeNull());

    protected static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.Clone();
    }

    /// <summary>An RFC 9457 problem with the status and a Russian detail.</summary>
    protected static async Task<JsonElement> ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", body);
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("status").GetInt32().ShouldBe((int)status);
        json.RootElement.GetProperty("detail").GetString().ShouldNotBeNull().ShouldMatch("[а-яА-ЯёЁ]", "the detail is for a person: Russian");
        return json.RootElement.Clone();
    }

    /// <summary>The errors of a 400 validation problem; every message Russian.</summary>
    protected static async Task<JsonElement> ValidationErrorsAsync(HttpResponseMessage response)
    {
        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        foreach (var field in errors.EnumerateObject())
        foreach (var message in field.Value.EnumerateArray())
            message.GetString().ShouldNotBeNull().ShouldMatch("[а-яА-ЯёЁ]");
        return errors;
    }

    /// <summary>Events of <typeparamref name="T"/> in identity's outbox that match <paramref name="filter"/>, in the order they were written.</summary>
    protected Task<List<T>> OutboxAsync<T>(Func<T, bool> filter) =>
        Fixture.WithDbAsync(async db =>
        {
            var payloads = await db.Set<OutboxMessage>().AsNoTracking()
                .Where(m => m.MessageType == typeof(T).FullName).OrderBy(m => m.Id).Select(m => m.Payload).ToListAsync();
            return payloads.Select(p => JsonSerializer.Deserialize<T>(p, JsonSerializerOptions.Web)!).Where(filter).ToList();
        });

    protected Task<List<SecurityEventRecorded>> SecurityEventsAsync(Guid userId, string kind) =>
        OutboxAsync<SecurityEventRecorded>(e => e.SubjectId == userId && e.Kind == kind);
}
