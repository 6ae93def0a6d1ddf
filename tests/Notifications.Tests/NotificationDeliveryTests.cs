using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Contracts.Immunizations;
using Gosuslugi.Health.Notifications.Domain;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Notifications.Tests;

/// <summary>
/// From identity's and the services' events to SMS / e-mail deliveries: contacts, representatives, quiet hours.
/// The fixture records SMS to a file; e-mail has no server here and stays pending (retried).
/// </summary>
[Collection(ChannelsCollection.Name)]
public sealed class NotificationDeliveryTests(ChannelsApp app)
{
    private IBus Bus => app.Factory.Services.GetRequiredService<IBus>();

    private static string Phone() => $"+7902{Random.Shared.Next(1000000, 9999999)}";

    private static AppointmentBooked Booked(Guid patientId) => new(
        Guid.CreateVersion7(), patientId, Guid.CreateVersion7(), "ГБУЗ «Городская поликлиника № 3»",
        Guid.CreateVersion7(), "Иванова Мария Петровна", "Терапевт", NotificationTextsTests.Twelfth0920, false,
        DateTimeOffset.UtcNow, Address: "Москва, ул. Ленина, 1, каб. 12", ChangedBy: AppointmentChangedBy.Patient);

    private async Task<(string Phone, string Email)> ContactsAsync(Guid personId)
    {
        var phone = Phone();
        var email = $"{personId}@example.org";
        await Bus.Publish(new ContactDetailsChanged(personId, phone, email, DateTimeOffset.UtcNow));
        await FeedPolling.UntilAsync(
            () => app.WithDbAsync(db => db.Recipients.AsNoTracking().SingleOrDefaultAsync(r => r.PersonId == personId)),
            r => r?.Phone == phone, "the contacts");
        return (phone, email);
    }

    private Task<List<Delivery>> DeliveriesAsync(Guid patientId) => app.WithDbAsync(db =>
        db.Deliveries.AsNoTracking().Where(d => d.PatientId == patientId).OrderBy(d => d.CreatedAt).ToListAsync());

    private Task<List<Notification>> NotificationsAsync(Guid patientId) => app.WithDbAsync(db =>
        db.Notifications.AsNoTracking().Where(n => n.PatientId == patientId).OrderBy(n => n.CreatedAt).ToListAsync());

    /// <summary>Publishes a booking and waits for its confirmation (and so its deliveries, same transaction).</summary>
    private async Task<Notification> BookAsync(Guid patientId)
    {
        var booked = Booked(patientId);
        await Bus.Publish(booked);
        var link = $"/api/v1/appointments/{booked.AppointmentId}";
        var notifications = await FeedPolling.UntilAsync(() => NotificationsAsync(patientId),
            n => n.Any(x => x.Link == link), "the booking's confirmation");
        return notifications.Single(n => n.Link == link);
    }

    [Fact]
    public async Task Contacts_from_identity_receive_the_following_notification_by_SMS_and_email_with_the_private_text()
    {
        var patientId = Guid.CreateVersion7();
        var (phone, email) = await ContactsAsync(patientId);

        var notification = await BookAsync(patientId);

        var deliveries = (await DeliveriesAsync(patientId)).Where(d => d.NotificationId == notification.Id).ToList();
        var sms = deliveries.Where(d => d.Channel == Domain.Channels.Sms).ShouldHaveSingleItem();
        sms.Destination.ShouldBe(phone);
        sms.RecipientId.ShouldBe(patientId);
        sms.Text.ShouldBe("Вы записаны на приём к врачу 12 декабря 2026 г. в 09:20 (мск). Подробности — в личном кабинете «Моё здоровье».");
        deliveries.Where(d => d.Channel == Domain.Channels.Email).ShouldHaveSingleItem().Destination.ShouldBe(email);
        Assert.All(deliveries, d => d.Text.ShouldNotContain("Терапевт"));

        var recorded = await FeedPolling.UntilAsync(() => Task.FromResult(app.RecordedTo(phone)), l => l.Count > 0, "the SMS");
        recorded.ShouldHaveSingleItem().ShouldContain("12 декабря 2026 г. в 09:20");
    }

    [Fact]
    public async Task A_representative_gets_deliveries_while_the_delegation_lasts_and_not_after_it_is_revoked()
    {
        var patientId = Guid.CreateVersion7();
        var representative = Guid.CreateVersion7();
        await ContactsAsync(patientId);
        var (_, repEmail) = await ContactsAsync(representative);
        var delegationId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        await Bus.Publish(new DelegationGranted(delegationId, patientId, representative, "legal_representative", "all",
            now.AddHours(-1), now.AddDays(30), now));
        await FeedPolling.UntilAsync(() => app.WithDbAsync(db => db.Delegations.AnyAsync(d => d.DelegationId == delegationId)),
            known => known, "the delegation");
        // The representative's quiet hours hold their messages now, so that the revocation finds one still waiting.
        await app.WithDbAsync(async db =>
        {
            var moscow = TimeOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(3)).DateTime);
            var recipient = await db.Recipients.AsTracking().SingleAsync(r => r.PersonId == representative);
            recipient.QuietFrom = moscow.AddHours(-1);
            recipient.QuietTo = moscow.AddHours(2);
            await db.SaveChangesAsync();
        });

        var during = await BookAsync(patientId);

        var toRepresentative = (await DeliveriesAsync(patientId))
            .Where(d => d.NotificationId == during.Id && d.RecipientId == representative).ToList();
        toRepresentative.ShouldNotBeEmpty();
        var email = toRepresentative.Where(d => d.Channel == Domain.Channels.Email).ShouldHaveSingleItem();
        email.Destination.ShouldBe(repEmail);
        email.Text.ShouldStartWith("Уведомление о представляемом вами человеке. Вы записаны на приём к врачу");
        email.Status.ShouldBe(DeliveryStatuses.Pending);

        await Bus.Publish(new DelegationRevoked(delegationId, patientId, representative, patientId, DateTimeOffset.UtcNow));
        await FeedPolling.UntilAsync(
            () => app.WithDbAsync(db => db.Delegations.AsNoTracking().SingleAsync(d => d.DelegationId == delegationId)),
            d => d.RevokedAt is not null, "the revocation");

        (await DeliveriesAsync(patientId)).Where(d => d.RecipientId == representative)
            .ShouldAllBe(d => d.Status == DeliveryStatuses.Withdrawn);
        var after = await BookAsync(patientId);
        var deliveries = (await DeliveriesAsync(patientId)).Where(d => d.NotificationId == after.Id).ToList();
        deliveries.ShouldNotBeEmpty();
        deliveries.ShouldAllBe(d => d.RecipientId == patientId);
    }

    [Fact]
    public async Task An_expired_delegation_and_a_revocation_that_overtook_its_grant_give_the_representative_nothing()
    {
        var patientId = Guid.CreateVersion7();
        var expired = Guid.CreateVersion7();
        var overtaken = Guid.CreateVersion7();
        await ContactsAsync(patientId);
        await ContactsAsync(expired);
        await ContactsAsync(overtaken);
        var now = DateTimeOffset.UtcNow;
        var expiredId = Guid.CreateVersion7();
        var overtakenId = Guid.CreateVersion7();
        await Bus.Publish(new DelegationGranted(expiredId, patientId, expired, "legal_representative", "all",
            now.AddDays(-30), now.AddMinutes(-1), now.AddDays(-30)));
        await Bus.Publish(new DelegationRevoked(overtakenId, patientId, overtaken, patientId, now));
        await FeedPolling.UntilAsync(() => app.WithDbAsync(db => db.Delegations.AnyAsync(d => d.DelegationId == overtakenId)),
            known => known, "the revocation");
        await Bus.Publish(new DelegationGranted(overtakenId, patientId, overtaken, "legal_representative", "all",
            now.AddHours(-1), now.AddDays(30), now.AddMinutes(-1)));
        await FeedPolling.UntilAsync(() => app.WithDbAsync(db => db.Delegations.AnyAsync(d => d.DelegationId == expiredId)),
            known => known, "the expired delegation");

        var notification = await BookAsync(patientId);

        var deliveries = (await DeliveriesAsync(patientId)).Where(d => d.NotificationId == notification.Id).ToList();
        deliveries.ShouldNotBeEmpty();
        deliveries.ShouldAllBe(d => d.RecipientId == patientId);
        (await app.WithDbAsync(db => db.Delegations.AsNoTracking().SingleAsync(d => d.DelegationId == overtakenId)))
            .RevokedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task Security_messages_go_out_at_once_during_quiet_hours_while_others_wait()
    {
        var personId = Guid.CreateVersion7();
        var (phone, _) = await ContactsAsync(personId);
        await app.WithDbAsync(async db =>
        {
            var moscow = TimeOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(3)).DateTime);
            var recipient = await db.Recipients.AsTracking().SingleAsync(r => r.PersonId == personId);
            recipient.QuietFrom = moscow.AddHours(-1);
            recipient.QuietTo = moscow.AddHours(2);
            await db.SaveChangesAsync();
        });
        var now = DateTimeOffset.UtcNow;

        await Bus.Publish(IdentityNotificationsTests.SignIn(personId, IdentityNotificationsTests.NewDevice, now));
        await Bus.Publish(IdentityNotificationsTests.Lockout(personId, now, now.AddMinutes(15)));
        var booking = await BookAsync(personId);

        var recorded = await FeedPolling.UntilAsync(() => Task.FromResult(app.RecordedTo(phone)), l => l.Count >= 2, "two SMS");
        recorded.ShouldContain(l => l.Contains("с нового устройства"));
        recorded.ShouldContain(l => l.Contains("временно заблокирован"));
        var security = (await NotificationsAsync(personId)).Where(n => n.Category == NotificationCategories.Security).ToList();
        security.Count.ShouldBe(2);

        var waiting = (await DeliveriesAsync(personId)).Single(d => d.NotificationId == booking.Id && d.Channel == Domain.Channels.Sms);
        waiting.Status.ShouldBe(DeliveryStatuses.Pending);
        waiting.NotBefore.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(30));
        recorded.ShouldNotContain(l => l.Contains("Вы записаны"));
    }

    [Fact]
    public async Task A_recorded_vaccination_now_reaches_the_channels()
    {
        var patientId = Guid.CreateVersion7();
        var (_, email) = await ContactsAsync(patientId);
        var recorded = new ImmunizationRecorded(Guid.CreateVersion7(), patientId, Guid.CreateVersion7(),
            "ГБУЗ «Городская поликлиника № 3»", "GAM-COVID-VAC", "Гам-КОВИД-Вак", "COVID-19", 2, new DateOnly(2024, 3, 5),
            DateTimeOffset.UtcNow);

        await Bus.Publish(recorded);

        var deliveries = await FeedPolling.UntilAsync(() => DeliveriesAsync(patientId), d => d.Count > 0, "the deliveries");
        var delivery = deliveries.ShouldHaveSingleItem(); // e-mail: no SMS for record items by default, no push device
        delivery.Channel.ShouldBe(Domain.Channels.Email);
        delivery.Destination.ShouldBe(email);
        delivery.Text.ShouldBe("В вашей медицинской карте новая запись о вакцинации. Подробности — в личном кабинете «Моё здоровье».");
        delivery.Text.ShouldNotContain("COVID");
    }
}
