using System.Net;
using Gosuslugi.Health.Contracts.Immunizations;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Tests;

[Collection(NotificationsCollection.Name)]
public sealed class ImmunizationRecordedTests(NotificationsApp app)
{
    private static ImmunizationRecorded Recorded(Guid patientId) => new(
        Guid.CreateVersion7(), patientId, Guid.CreateVersion7(), "ГБУЗ «Городская поликлиника № 3»",
        "GAM-COVID-VAC", "Гам-КОВИД-Вак", "COVID-19", 2, new DateOnly(2024, 3, 5), DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_recorded_vaccination_becomes_one_Russian_notification_for_the_patient()
    {
        var patientId = Guid.CreateVersion7();
        var message = Recorded(patientId);
        var messageId = Guid.CreateVersion7();

        await app.Bus.Publish(message, context => context.MessageId = messageId);
        await app.Consumed.WaitForAsync(messageId, 1);

        using var client = app.PatientClient(patientId);
        using var response = await client.GetAsync("/api/v1/notifications");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await response.ReadObjectAsync();
        var item = page["items"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
        item["category"]!.GetValue<string>().ShouldBe("immunization");
        item["title"]!.GetValue<string>().ShouldBe("Новая запись о вакцинации");
        item["body"]!.GetValue<string>().ShouldBe(
            "ГБУЗ «Городская поликлиника № 3» внесла запись о вакцинации: Гам-КОВИД-Вак (COVID-19), 05.03.2024.");
        item["link"]!.GetValue<string>().ShouldBe($"/api/v1/immunizations/{message.ImmunizationId}");
        item["readAt"].ShouldBeNull();
        item["createdAt"]!.GetValue<DateTimeOffset>().ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        page["nextCursor"].ShouldBeNull();
    }

    [Fact]
    public async Task The_same_message_delivered_twice_gives_one_notification()
    {
        var patientId = Guid.CreateVersion7();
        var message = Recorded(patientId);
        var messageId = Guid.CreateVersion7();

        await app.Bus.Publish(message, context => context.MessageId = messageId);
        await app.Bus.Publish(message, context => context.MessageId = messageId);
        await app.Consumed.WaitForAsync(messageId, 2);

        (await app.WithDbAsync(db => db.Notifications.CountAsync(n => n.PatientId == patientId))).ShouldBe(1);
        (await app.WithDbAsync(db => db.Set<InboxMessage>().CountAsync(m => m.MessageId == messageId))).ShouldBe(1);
    }

    [Fact]
    public async Task The_same_vaccination_republished_under_a_new_message_id_gives_one_notification()
    {
        var patientId = Guid.CreateVersion7();
        var message = Recorded(patientId);
        var first = Guid.CreateVersion7();
        var second = Guid.CreateVersion7();

        await app.Bus.Publish(message, context => context.MessageId = first);
        await app.Consumed.WaitForAsync(first, 1);
        await app.Bus.Publish(message, context => context.MessageId = second);
        await app.Consumed.WaitForAsync(second, 1);

        (await app.WithDbAsync(db => db.Notifications.CountAsync(n => n.PatientId == patientId))).ShouldBe(1);
    }

    [Fact]
    public async Task Two_vaccinations_give_two_notifications_and_nobody_else_sees_them()
    {
        var patientId = Guid.CreateVersion7();
        var ids = new[] { Guid.CreateVersion7(), Guid.CreateVersion7() };
        await app.Bus.Publish(Recorded(patientId), context => context.MessageId = ids[0]);
        await app.Bus.Publish(Recorded(patientId) with { VaccineName = "Гриппол плюс", Disease = "Грипп" },
            context => context.MessageId = ids[1]);
        foreach (var id in ids) await app.Consumed.WaitForAsync(id, 1);

        using var owner = app.PatientClient(patientId);
        using var stranger = app.PatientClient(Guid.CreateVersion7());
        using var own = await owner.GetAsync("/api/v1/notifications");
        using var others = await stranger.GetAsync("/api/v1/notifications");
        using var othersUnread = await stranger.GetAsync("/api/v1/notifications/unread-count");

        (await own.ReadObjectAsync())["items"]!.AsArray().Count.ShouldBe(2);
        (await others.ReadObjectAsync())["items"]!.AsArray().ShouldBeEmpty();
        (await othersUnread.ReadObjectAsync())["count"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public void The_text_formats_the_date_the_Russian_way_whatever_the_culture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("en-US");
        try
        {
            var text = Events.NotificationTexts.ImmunizationRecorded(
                Recorded(Guid.CreateVersion7()) with { AdministeredOn = new DateOnly(2023, 12, 1) });
            text.Body.ShouldEndWith("(COVID-19), 01.12.2023.");
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }
}
