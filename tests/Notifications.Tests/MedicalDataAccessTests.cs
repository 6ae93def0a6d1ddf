using System.Net;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Notifications.Tests;

/// <summary>
/// The feed tells about the record, so it follows the medical-data rule: a confirmed account with consent, or a
/// representative whose delegation covers the whole record; revoked tokens stop at once.
/// </summary>
[Collection(NotificationsCollection.Name)]
public sealed class MedicalDataAccessTests(NotificationsApp app)
{
    private async Task<Guid> SeedOneAsync(Guid patientId)
    {
        var notification = new Notification(patientId, NotificationCategories.Immunization, "Вакцинация внесена",
            "В вашу карту внесена прививка.", null, Guid.CreateVersion7(), DateTimeOffset.UtcNow);
        await app.WithDbAsync(async db =>
        {
            db.Notifications.Add(notification);
            await db.SaveChangesAsync();
        });
        return notification.Id;
    }

    private async Task<IReadOnlyList<(string Endpoint, HttpResponseMessage Response)>> CallEveryEndpointAsync(string token, Guid notificationId)
    {
        using var client = app.CreateClient(token);
        return
        [
            ("list", await client.GetAsync("/api/v1/notifications")),
            ("unread-count", await client.GetAsync("/api/v1/notifications/unread-count")),
            ("mark-read", await client.PostAsync($"/api/v1/notifications/{notificationId}/read", null)),
        ];
    }

    private async Task ShouldAllBeRefusedAsync(string token, Guid notificationId, string reason)
    {
        foreach (var (endpoint, response) in await CallEveryEndpointAsync(token, notificationId))
        {
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync();
                response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, endpoint + ": " + text);
                response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", endpoint);
                (await response.ReadObjectAsync())["reason"]!.GetValue<string>().ShouldBe(reason, endpoint);
                text.ShouldNotContain("Вакцинация внесена");
            }
        }

        (await app.WithDbAsync(db => db.Notifications.Where(n => n.Id == notificationId).Select(n => n.ReadAt).SingleAsync()))
            .ShouldBeNull("a refused request changes nothing");
    }

    [Fact]
    public async Task An_unconfirmed_account_is_refused_with_a_problem_that_says_how_to_confirm()
    {
        var patientId = Guid.CreateVersion7();
        var id = await SeedOneAsync(patientId);

        await ShouldAllBeRefusedAsync(app.Issuer.CreatePatientToken(patientId, accountLevel: "standard"), id, "account_not_confirmed");
    }

    [Fact]
    public async Task Withdrawn_consent_is_refused()
    {
        var patientId = Guid.CreateVersion7();
        var id = await SeedOneAsync(patientId);

        await ShouldAllBeRefusedAsync(app.Issuer.CreatePatientToken(patientId, consent: false), id, "consent_not_in_force");
    }

    [Fact]
    public async Task A_representative_with_the_limited_scope_is_refused_the_feed()
    {
        var principalId = Guid.CreateVersion7();
        var id = await SeedOneAsync(principalId);
        var token = app.Issuer.CreateDelegatedToken(principalId, Guid.CreateVersion7(), Guid.CreateVersion7(),
            scope: HealthClaims.Scopes.DelegatedLimited);

        await ShouldAllBeRefusedAsync(token, id, AccessProblems.SectionNotDelegatedReason);
    }

    [Fact]
    public async Task A_representative_with_the_records_scope_reads_the_represented_persons_feed_only()
    {
        var principalId = Guid.CreateVersion7();
        var actorId = Guid.CreateVersion7();
        var principals = await SeedOneAsync(principalId);
        var actorsOwn = await SeedOneAsync(actorId);
        using var client = app.CreateClient(app.Issuer.CreateDelegatedToken(principalId, actorId, Guid.CreateVersion7()));

        using var list = await client.GetAsync("/api/v1/notifications");
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await list.ReadObjectAsync())["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ShouldBe([principals]);
        using var markOwn = await client.PostAsync($"/api/v1/notifications/{actorsOwn}/read", null);
        markOwn.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Denied_tokens_sessions_and_delegations_are_401()
    {
        var patientId = Guid.CreateVersion7();
        var denyList = app.Factory.Services.GetRequiredService<TokenDenyList>();
        var signedOut = app.Issuer.CreatePatientToken(patientId);
        var session = Guid.CreateVersion7();
        var ofEndedSession = app.Issuer.CreatePatientToken(patientId, sessionId: session);
        var delegation = Guid.CreateVersion7();
        var ofRevokedDelegation = app.Issuer.CreateDelegatedToken(patientId, Guid.CreateVersion7(), delegation);

        var claims = TestTokenIssuer.ReadPayload(signedOut);
        await denyList.DenyTokenAsync(claims["jti"]!.GetValue<string>(),
            DateTimeOffset.FromUnixTimeSeconds(claims["exp"]!.GetValue<long>()), CancellationToken.None);
        await denyList.DenySessionAsync(session, CancellationToken.None);
        await denyList.DenyDelegationAsync(delegation, CancellationToken.None);

        foreach (var token in new[] { signedOut, ofEndedSession, ofRevokedDelegation })
        {
            using var client = app.CreateClient(token);
            using var response = await client.GetAsync("/api/v1/notifications");
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
    }
}
