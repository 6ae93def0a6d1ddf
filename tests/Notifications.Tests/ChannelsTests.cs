using Gosuslugi.Health.Notifications.Channels;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.Notifications.Events;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Tests;

[Collection(ChannelsCollection.Name)]
public sealed class ChannelsTests(ChannelsApp app)
{
    // Far in the future: the running dispatcher leaves these rows alone, only the planning is checked.
    private static readonly DateTimeOffset LateEvening = new DateTimeOffset(2030, 3, 10, 23, 0, 0, TimeSpan.FromHours(3)).ToUniversalTime();

    private static readonly NotificationText Text = new("Результат анализа: гемоглобин 90 г/л", "Гемоглобин ниже нормы",
        "В вашей медицинской карте новый документ. Подробности в приложении.");

    private async Task<(Guid Patient, Guid Representative, Guid Former)> SeedAsync()
    {
        var patient = Guid.CreateVersion7();
        var representative = Guid.CreateVersion7();
        var former = Guid.CreateVersion7();
        await app.WithDbAsync(async db =>
        {
            db.Recipients.Add(new Recipient
            {
                PersonId = patient, Phone = $"+7900{Random.Shared.Next(1000000, 9999999)}", Email = $"{patient}@example.org",
                QuietFrom = new TimeOnly(22, 0), QuietTo = new TimeOnly(8, 0), UpdatedAt = LateEvening,
            });
            db.Recipients.Add(new Recipient { PersonId = representative, Email = $"{representative}@example.org", UpdatedAt = LateEvening });
            db.Recipients.Add(new Recipient { PersonId = former, Email = $"{former}@example.org", UpdatedAt = LateEvening });
            db.PushDevices.Add(new PushDevice
            {
                Id = Guid.CreateVersion7(), PersonId = patient, Token = $"push-{patient}", Platform = "ios", RegisteredAt = LateEvening,
            });
            db.Delegations.Add(new KnownDelegation
            {
                DelegationId = Guid.CreateVersion7(), PatientId = patient, ActorId = representative, Scope = "all",
                ValidFrom = LateEvening.AddDays(-1), ValidTo = LateEvening.AddDays(30),
            });
            db.Delegations.Add(new KnownDelegation
            {
                DelegationId = Guid.CreateVersion7(), PatientId = patient, ActorId = former, Scope = "all",
                ValidFrom = LateEvening.AddDays(-30), ValidTo = LateEvening.AddDays(-1),
            });
            await db.SaveChangesAsync();
        });
        return (patient, representative, former);
    }

    private Task<List<Delivery>> PlanAsync(Guid patient, string category) => app.WithDbAsync(async db =>
    {
        await db.AddOnceAsync(patient, category, Text, null, Guid.CreateVersion7(), LateEvening, CancellationToken.None);
        await db.SaveChangesAsync();
        return await db.Deliveries.AsNoTracking().Where(d => d.PatientId == patient && d.CreatedAt == LateEvening)
            .OrderBy(d => d.Channel).ToListAsync();
    });

    [Fact]
    public async Task Deliveries_go_to_the_patient_and_current_representatives_with_the_private_text_only()
    {
        var (patient, representative, former) = await SeedAsync();

        var deliveries = await PlanAsync(patient, NotificationCategories.RecordItem);

        var own = deliveries.Where(d => d.RecipientId == patient).Select(d => d.Channel).Order().ToList();
        Assert.Equal([Domain.Channels.Email, Domain.Channels.Push], own); // no SMS for record items by default
        Assert.Equal([Domain.Channels.Email], deliveries.Where(d => d.RecipientId == representative).Select(d => d.Channel));
        Assert.DoesNotContain(deliveries, d => d.RecipientId == former);
        Assert.All(deliveries, d =>
        {
            Assert.DoesNotContain("гемоглобин", d.Text, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(DeliveryPlanner.Subject, d.Subject);
            Assert.Equal(DeliveryStatuses.Pending, d.Status);
        });
        Assert.Equal(Text.PrivateSummary, deliveries.First(d => d.RecipientId == patient).Text);
        Assert.Contains("представляемом", deliveries.Single(d => d.RecipientId == representative).Text);

        // The patient's quiet hours (22:00–08:00 Moscow) hold their messages until morning; the representative has none.
        var morning = new DateTimeOffset(2030, 3, 11, 8, 0, 0, TimeSpan.FromHours(3));
        Assert.All(deliveries.Where(d => d.RecipientId == patient), d => Assert.Equal(morning, d.NotBefore));
        Assert.Equal(LateEvening, deliveries.Single(d => d.RecipientId == representative).NotBefore);
    }

    [Fact]
    public async Task Security_messages_ignore_quiet_hours_and_go_by_sms()
    {
        var (patient, _, _) = await SeedAsync();

        var deliveries = await PlanAsync(patient, NotificationCategories.Security);

        var own = deliveries.Where(d => d.RecipientId == patient).ToList();
        Assert.Contains(own, d => d.Channel == Domain.Channels.Sms);
        Assert.All(own, d => Assert.Equal(LateEvening, d.NotBefore));
    }

    [Fact]
    public async Task A_disabled_channel_gets_no_delivery()
    {
        var (patient, _, _) = await SeedAsync();
        await app.WithDbAsync(async db =>
        {
            db.ChannelPreferences.Add(new ChannelPreference
            {
                PersonId = patient, Category = NotificationCategories.RecordItem, Channel = Domain.Channels.Email,
                Enabled = false, UpdatedAt = LateEvening,
            });
            await db.SaveChangesAsync();
        });

        var deliveries = await PlanAsync(patient, NotificationCategories.RecordItem);

        Assert.Equal([Domain.Channels.Push], deliveries.Where(d => d.RecipientId == patient).Select(d => d.Channel));
    }

    [Fact]
    public async Task The_dispatcher_sends_due_deliveries_and_retries_failures()
    {
        var phone = $"+7911{Random.Shared.Next(1000000, 9999999)}";
        var smsId = Guid.CreateVersion7();
        var emailId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        await app.WithDbAsync(async db =>
        {
            db.Deliveries.Add(NewDelivery(smsId, Domain.Channels.Sms, phone, now));
            // No SMTP server is configured in this fixture: the e-mail fails and is retried later.
            db.Deliveries.Add(NewDelivery(emailId, Domain.Channels.Email, $"{emailId}@example.org", now));
            await db.SaveChangesAsync();
        });

        var deadline = DateTime.UtcNow.AddSeconds(20);
        Delivery sms, email;
        do
        {
            await Task.Delay(100);
            sms = await app.WithDbAsync(db => db.Deliveries.AsNoTracking().SingleAsync(d => d.Id == smsId));
            email = await app.WithDbAsync(db => db.Deliveries.AsNoTracking().SingleAsync(d => d.Id == emailId));
        }
        while ((sms.Status != DeliveryStatuses.Sent || email.Attempts == 0) && DateTime.UtcNow < deadline);

        Assert.Equal(DeliveryStatuses.Sent, sms.Status);
        Assert.NotNull(sms.SentAt);
        Assert.Single(app.RecordedTo(phone));

        Assert.Equal(DeliveryStatuses.Pending, email.Status);
        Assert.Equal(1, email.Attempts);
        Assert.NotNull(email.LastError);
        Assert.True(email.NotBefore > now);
    }

    internal static Delivery NewDelivery(Guid id, string channel, string destination, DateTimeOffset now) => new()
    {
        Id = id, NotificationId = Guid.CreateVersion7(), PatientId = Guid.CreateVersion7(), RecipientId = Guid.CreateVersion7(),
        Channel = channel, Destination = destination, Subject = DeliveryPlanner.Subject, Text = "Новое уведомление",
        Status = DeliveryStatuses.Pending, NotBefore = now, CreatedAt = now,
    };
}
