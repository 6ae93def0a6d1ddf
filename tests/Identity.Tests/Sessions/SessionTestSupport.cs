using System.Net.Http.Headers;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Tokens;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gosuslugi.Health.Identity.Tests.Sessions;

/// <summary>What the session, key and admin tests share: bearer calls, the outbox, tokens signed by the service's own key.</summary>
public static class SessionTestSupport
{
    public const string SessionsPath = "/api/v1/account/sessions";
    public const string SignOutPath = "/api/v1/account/signout";

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string? token) => SendAsync(http, HttpMethod.Get, path, token);

    /// <summary>Security events about <paramref name="subjectId"/> of one kind in identity's outbox, oldest first.</summary>
    public static Task<List<SecurityEventRecorded>> SecurityEventsAsync(IServiceProvider services, Guid? subjectId, string kind) =>
        WithDbAsync(services, async db =>
        {
            var payloads = await db.Set<OutboxMessage>().AsNoTracking()
                .Where(m => m.MessageType == typeof(SecurityEventRecorded).FullName).OrderBy(m => m.Id).Select(m => m.Payload).ToListAsync();
            return payloads.Select(p => JsonSerializer.Deserialize<SecurityEventRecorded>(p, JsonSerializerOptions.Web)!)
                .Where(e => e.SubjectId == subjectId && e.Kind == kind).ToList();
        });

    public static async Task<T> WithDbAsync<T>(IServiceProvider services, Func<Data.IdentityDb, Task<T>> action)
    {
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<Data.IdentityDb>());
    }

    /// <summary>
    /// A JWT signed by the service's current key with whatever header type, audience and lifetime a test needs: the
    /// only way to get a correctly signed token that is wrong in one respect.
    /// </summary>
    public static async Task<string> SignWithServiceKeyAsync(IServiceProvider services, string issuer, string type, string audience,
        IDictionary<string, object> claims, DateTimeOffset? expires = null)
    {
        var keys = await services.GetRequiredService<SigningKeyStore>().GetKeysAsync(CancellationToken.None);
        var exp = expires ?? DateTimeOffset.UtcNow.AddMinutes(10);
        var issuedAt = exp.AddMinutes(-10);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = type,
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = exp.UtcDateTime,
            Claims = claims,
            SigningCredentials = keys.Signing,
        });
    }

    /// <summary>The claims of a token, without validating it (the test just got it from the token endpoint).</summary>
    public static JsonWebToken Read(string token) => new(token);

    public static string? Claim(this JsonWebToken token, string name) =>
        token.TryGetPayloadValue<object>(name, out var value) ? value?.ToString() : null;

    public static IReadOnlyList<string> Claims(this JsonWebToken token, string name) =>
        token.Claims.Where(c => c.Type == name).Select(c => c.Value).ToList();
}
