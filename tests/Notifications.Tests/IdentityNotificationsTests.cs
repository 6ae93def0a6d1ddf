using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Notifications.Domain;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Tests;

/// <summary>Identity's contacts and security events, published on the bus.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class IdentityNotificationsTests(NotificationsApp app)
{
    internal static SecurityEventRecorded SignIn(Guid personId, IReadOnlyDictionary<string, string> details, DateTimeOffset at) => new(
        Guid.CreateVersion7(), SecurityEventKinds.SignInSucceeded, personId, null, "web", "203.0.113.7",
        "Mozilla/5.0 (Android 14; Mobile)", "success", details, at);

    internal static SecurityEventRecorded Lockout(Guid personId, DateTimeOffset at, DateTimeOffset until) => new(
        Guid.CreateVersion7(), SecurityEventKinds.LockedOut, personId, null, "web", "203.0.113.7", null, "success",
        new Dictionary<string, string>
        {
            ["attempts"] = "5", ["lockout_in_a_row"] = "1", ["minutes"] = "15", ["until"] = until.ToString("O"),
        }, at);

    internal static Dictionary<string, string> NewDevice => new() { ["amr"] = "pwd otp", ["factor"] = "sms", ["newDevice"] = "true" };

    [Fact]
    public async Task A_sign_in_from_a_new_device_is_a_security_message()
    {
        var personId = Guid.CreateVersion7();
        var at = new DateTimeOffset(2026, 12, 3, 21, 5, 0, TimeSpan.Zero); // 00:05 on 4 December in Moscow

        await app.Bus.Publish(SignIn(personId, NewDevice, at));

        using var client = app.PatientClient(personId);
        var item = await client.WaitForItemAsync("security");
        item["title"]!.GetValue<string>().ShouldBe("Вход с нового устройства");
        item["body"]!.GetValue<string>().ShouldBe("4 декабря 2026 г. в 00:05 (московское время) выполнен вход в вашу учётную " +
            "запись с нового устройства. Устройство: Mozilla/5.0 (Android 14; Mobile). IP-адрес: 203.0.113.7. Если это были не вы, " +
            "смените пароль и завершите другие сеансы в настройках безопасности.");
        item["link"]!.GetValue<string>().ShouldBe("/api/v1/audit/security-events");
    }

    [Fact]
    public async Task A_sign_in_from_a_known_device_and_other_security_events_give_no_message()
    {
        var personId = Guid.CreateVersion7();
        var known = SignIn(personId, new Dictionary<string, string> { ["amr"] = "pwd otp", ["factor"] = "remembered_device" },
            DateTimeOffset.UtcNow);
        var explicitlyKnown = SignIn(personId, new Dictionary<string, string> { ["newDevice"] = "false" }, DateTimeOffset.UtcNow);
        var failed = known with { EventId = Guid.CreateVersion7(), Kind = SecurityEventKinds.SignInFailed, Outcome = "failure" };
        var ids = new[] { Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7() };

        await app.Bus.Publish(known, c => c.MessageId = ids[0]);
        await app.Bus.Publish(explicitlyKnown, c => c.MessageId = ids[1]);
        await app.Bus.Publish(failed, c => c.MessageId = ids[2]);
        foreach (var id in ids) await app.Consumed.WaitForAsync(id, 1);

        using var client = app.PatientClient(personId);
        (await client.FeedAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_lockout_says_until_when()
    {
        var personId = Guid.CreateVersion7();
        var at = new DateTimeOffset(2026, 12, 3, 20, 0, 0, TimeSpan.Zero);

        await app.Bus.Publish(Lockout(personId, at, at.AddMinutes(15)));

        using var client = app.PatientClient(personId);
        var item = await client.WaitForItemAsync("security");
        item["title"]!.GetValue<string>().ShouldBe("Вход в учётную запись временно заблокирован");
        item["body"]!.GetValue<string>().ShouldBe("3 декабря 2026 г. в 23:00 (московское время) после нескольких неудачных " +
            "попыток входа вход в вашу учётную запись заблокирован до 3 декабря 2026 г. в 23:15 (московское время). " +
            "Если это были не вы, после разблокировки смените пароль.");
    }

    [Fact]
    public async Task Contacts_are_kept_and_an_older_event_arriving_late_changes_nothing()
    {
        var personId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        var newer = new ContactDetailsChanged(personId, "+79001234567", "new@example.org", now);
        var older = new ContactDetailsChanged(personId, "+79007654321", "old@example.org", now.AddMinutes(-5));
        var first = Guid.CreateVersion7();
        var late = Guid.CreateVersion7();
        var again = Guid.CreateVersion7();

        await app.Bus.Publish(newer, c => c.MessageId = first);
        await app.Consumed.WaitForAsync(first, 1);
        await app.Bus.Publish(older, c => c.MessageId = late);
        await app.Consumed.WaitForAsync(late, 1);
        // The same event again under a new id: equal, not newer, so nothing changes either.
        await app.Bus.Publish(newer with { Phone = "+79000000000" }, c => c.MessageId = again);
        await app.Consumed.WaitForAsync(again, 1);

        var recipient = await app.WithDbAsync(db => db.Recipients.AsNoTracking().SingleAsync(r => r.PersonId == personId));
        recipient.Phone.ShouldBe("+79001234567");
        recipient.Email.ShouldBe("new@example.org");
        recipient.ContactsChangedAt!.Value.ShouldBe(now, TimeSpan.FromMilliseconds(1));

        var cleared = Guid.CreateVersion7();
        await app.Bus.Publish(new ContactDetailsChanged(personId, null, "new@example.org", now.AddMinutes(1)),
            c => c.MessageId = cleared);
        await app.Consumed.WaitForAsync(cleared, 1);
        recipient = await app.WithDbAsync(db => db.Recipients.AsNoTracking().SingleAsync(r => r.PersonId == personId));
        recipient.Phone.ShouldBeNull();
    }

    [Fact]
    public async Task Contacts_keep_the_quiet_hours_the_person_chose()
    {
        var personId = Guid.CreateVersion7();
        await app.WithDbAsync(async db =>
        {
            db.Recipients.Add(new Recipient
            {
                PersonId = personId, QuietFrom = new TimeOnly(22, 0), QuietTo = new TimeOnly(8, 0), UpdatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        var id = Guid.CreateVersion7();

        await app.Bus.Publish(new ContactDetailsChanged(personId, "+79001234567", null, DateTimeOffset.UtcNow), c => c.MessageId = id);
        await app.Consumed.WaitForAsync(id, 1);

        var recipient = await app.WithDbAsync(db => db.Recipients.AsNoTracking().SingleAsync(r => r.PersonId == personId));
        recipient.Phone.ShouldBe("+79001234567");
        recipient.QuietFrom.ShouldBe(new TimeOnly(22, 0));
    }
}
