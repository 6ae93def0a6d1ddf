using System.Net;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Tests;

[Collection(NotificationsCollection.Name)]
public sealed class FeedApiTests(NotificationsApp app)
{
    /// <summary>Stores notifications directly, one minute apart, the last one newest.</summary>
    private async Task<List<Guid>> SeedAsync(Guid patientId, int count)
    {
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var notifications = Enumerable.Range(0, count)
            .Select(i => new Notification(patientId, NotificationCategories.Immunization, $"Уведомление {i}",
                $"Текст {i}", null, Guid.CreateVersion7(), start.AddMinutes(i)))
            .ToList();
        await app.WithDbAsync(async db =>
        {
            db.Notifications.AddRange(notifications);
            await db.SaveChangesAsync();
        });
        return notifications.Select(n => n.Id).ToList();
    }

    [Fact]
    public async Task The_feed_is_newest_first_and_pages_with_a_cursor_without_gaps_or_repeats()
    {
        var patientId = Guid.CreateVersion7();
        var ids = await SeedAsync(patientId, 5);
        using var client = app.PatientClient(patientId);

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = "/api/v1/notifications?limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            using var response = await client.GetAsync(url);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var page = await response.ReadObjectAsync();
            var items = page["items"]!.AsArray();
            items.Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(items.Select(i => i!["id"]!.GetValue<Guid>()));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
            if (pages == 1)
            {
                // A notification arriving while the patient scrolls does not shift the next pages.
                await app.WithDbAsync(async db =>
                {
                    db.Notifications.Add(new Notification(patientId, NotificationCategories.Immunization, "Новое",
                        "Пришло во время прокрутки", null, Guid.CreateVersion7(), DateTimeOffset.UtcNow));
                    await db.SaveChangesAsync();
                });
            }
        }
        while (cursor is not null && pages < 10);

        pages.ShouldBe(3);
        seen.ShouldBe(Enumerable.Reverse(ids).ToList());
    }

    [Fact]
    public async Task Bad_paging_parameters_are_problems_naming_the_parameter()
    {
        using var client = app.PatientClient(Guid.CreateVersion7());
        foreach (var (query, field) in new[] { ("limit=0", "limit"), ("limit=101", "limit"), ("cursor=garbage!", "cursor") })
        {
            using var response = await client.GetAsync($"/api/v1/notifications?{query}");
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, query);
            var problem = await response.ReadObjectAsync();
            problem["errors"]!.AsObject().ContainsKey(field).ShouldBeTrue(query);
            problem["errors"]![field]![0]!.GetValue<string>().ShouldMatch("[А-Яа-яЁё]");
        }
    }

    [Fact]
    public async Task Marking_read_lowers_the_unread_count_once()
    {
        var patientId = Guid.CreateVersion7();
        var ids = await SeedAsync(patientId, 3);
        using var client = app.PatientClient(patientId);

        (await UnreadAsync(client)).ShouldBe(3);
        using (var read = await client.PostAsync($"/api/v1/notifications/{ids[1]}/read", null))
        {
            read.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
        var firstReadAt = await app.WithDbAsync(db => db.Notifications.Where(n => n.Id == ids[1]).Select(n => n.ReadAt).SingleAsync());
        using (var again = await client.PostAsync($"/api/v1/notifications/{ids[1]}/read", null))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await UnreadAsync(client)).ShouldBe(2);
        firstReadAt.ShouldNotBeNull();
        (await app.WithDbAsync(db => db.Notifications.Where(n => n.Id == ids[1]).Select(n => n.ReadAt).SingleAsync()))
            .ShouldBe(firstReadAt);
        using var list = await client.GetAsync("/api/v1/notifications");
        var item = (await list.ReadObjectAsync())["items"]!.AsArray().Single(i => i!["id"]!.GetValue<Guid>() == ids[1])!;
        item["readAt"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Reading_the_feed_and_marking_an_item_read_are_in_the_patients_access_log()
    {
        var patientId = Guid.CreateVersion7();
        var ids = await SeedAsync(patientId, 2);
        using var client = app.PatientClient(patientId);

        using (var list = await client.GetAsync("/api/v1/notifications")) list.StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var read = await client.PostAsync($"/api/v1/notifications/{ids[0]}/read", null)) read.StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var accesses = await app.OutboxPayloadsAsync(typeof(PatientDataAccessed).FullName!, patientId);
        accesses.Select(a => a.GetProperty("action").GetString()).ShouldBe([AccessActions.Read, AccessActions.Change]);
        accesses.ShouldAllBe(a => a.GetProperty("section").GetString() == "notifications"
                                  && a.GetProperty("service").GetString() == "notifications");
        accesses[1].GetProperty("itemId").GetGuid().ShouldBe(ids[0]);
    }

    [Fact]
    public async Task Another_patient_cannot_read_or_mark_a_notification()
    {
        var owner = Guid.CreateVersion7();
        var ids = await SeedAsync(owner, 1);
        using var stranger = app.PatientClient(Guid.CreateVersion7());

        using var mark = await stranger.PostAsync($"/api/v1/notifications/{ids[0]}/read", null);
        using var list = await stranger.GetAsync("/api/v1/notifications");

        mark.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        mark.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await list.ReadObjectAsync())["items"]!.AsArray().ShouldBeEmpty();
        (await app.WithDbAsync(db => db.Notifications.Where(n => n.Id == ids[0]).Select(n => n.ReadAt).SingleAsync()))
            .ShouldBeNull();
        using var ownerClient = app.PatientClient(owner);
        (await UnreadAsync(ownerClient)).ShouldBe(1);
    }

    [Fact]
    public async Task Marking_a_missing_notification_is_404()
    {
        using var client = app.PatientClient(Guid.CreateVersion7());
        using var response = await client.PostAsync($"/api/v1/notifications/{Guid.CreateVersion7()}/read", null);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Without_a_patient_token_the_feed_is_closed()
    {
        var organization = app.Issuer.CreateToken("client-1", [HealthClaims.Roles.MedicalOrganization],
            [HealthClaims.Scopes.HealthPublish], new Dictionary<string, object> { ["org_id"] = Guid.NewGuid().ToString() });
        var patientWithoutScope = app.Issuer.CreateToken(Guid.NewGuid().ToString(), [HealthClaims.Roles.Patient], ["openid"]);
        var cases = new (string? Token, HttpStatusCode Status)[]
        {
            (null, HttpStatusCode.Unauthorized),
            (app.Issuer.CreateExpiredToken(), HttpStatusCode.Unauthorized),
            (app.Issuer.CreateTokenSignedByAnotherKey(), HttpStatusCode.Unauthorized),
            (organization, HttpStatusCode.Forbidden),
            (patientWithoutScope, HttpStatusCode.Forbidden),
        };

        foreach (var (token, status) in cases)
        {
            using var client = app.CreateClient(token);
            using var list = await client.GetAsync("/api/v1/notifications");
            using var unread = await client.GetAsync("/api/v1/notifications/unread-count");
            using var mark = await client.PostAsync($"/api/v1/notifications/{Guid.CreateVersion7()}/read", null);
            list.StatusCode.ShouldBe(status);
            unread.StatusCode.ShouldBe(status);
            mark.StatusCode.ShouldBe(status);
        }
    }

    [Fact]
    public async Task Readiness_checks_the_database_and_the_broker()
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/health/ready");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldContain("notificationsdb");
        text.ShouldContain("rabbitmq");
    }

    private static async Task<int> UnreadAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/v1/notifications/unread-count");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.ReadObjectAsync())["count"]!.GetValue<int>();
    }
}
