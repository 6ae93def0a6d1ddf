using Gosuslugi.Health.Contracts.Prescriptions;
using MassTransit;

namespace Gosuslugi.Health.Notifications.Tests;

/// <summary>Prescriptions' events, published on the bus, read back from the patient's feed: Russian, no medicine names.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class PrescriptionNotificationsTests(NotificationsApp app)
{
    [Fact]
    public async Task A_new_prescription_is_told_once()
    {
        var patientId = Guid.CreateVersion7();
        var issued = new PrescriptionIssued(Guid.CreateVersion7(), patientId, 1, "ГБУЗ «Городская поликлиника № 3»",
            PrescriptionStatuses.Active, new DateOnly(2027, 1, 15), DateTimeOffset.UtcNow);
        var first = Guid.CreateVersion7();
        var second = Guid.CreateVersion7();

        await app.Bus.Publish(issued, c => c.MessageId = first);
        await app.Bus.Publish(issued with { OccurredAt = DateTimeOffset.UtcNow }, c => c.MessageId = second);
        await app.Consumed.WaitForAsync(first, 1);
        await app.Consumed.WaitForAsync(second, 1);

        using var client = app.PatientClient(patientId);
        var item = await client.WaitForItemAsync("prescription");
        item["title"]!.GetValue<string>().ShouldBe("Новый электронный рецепт");
        item["body"]!.GetValue<string>().ShouldBe("Организация «ГБУЗ «Городская поликлиника № 3»» выписала вам электронный рецепт. " +
            "Он действует до 15 января 2027 г. Его можно отправить в аптеку из раздела «Мои назначения».");
        (await client.FeedAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Each_pharmacy_step_and_the_expiry_reach_the_patient()
    {
        var patientId = Guid.CreateVersion7();
        var prescriptionId = Guid.CreateVersion7();
        var messages = new object[]
        {
            new PrescriptionStatusChanged(prescriptionId, patientId, PrescriptionChanges.SentToPharmacy, PrescriptionStatuses.Active,
                "Аптека «Здоровье» № 12", null, 2, DateTimeOffset.UtcNow),
            new PrescriptionStatusChanged(prescriptionId, patientId, PrescriptionChanges.PartlyDispensed, PrescriptionStatuses.Active,
                "Аптека «Здоровье» № 12", 1, 1, DateTimeOffset.UtcNow.AddSeconds(1)),
            new PrescriptionExpiring(prescriptionId, patientId, new DateOnly(2027, 2, 1), DateTimeOffset.UtcNow),
        };
        foreach (var message in messages)
        {
            var id = Guid.CreateVersion7();
            await app.Bus.Publish(message, c => c.MessageId = id);
            await app.Consumed.WaitForAsync(id, 1);
        }

        using var client = app.PatientClient(patientId);
        await client.WaitForItemAsync("prescription");
        var feed = await client.FeedAsync();
        feed.Count.ShouldBe(3);
        var bodies = feed.Select(i => i!["body"]!.GetValue<string>()).ToList();
        bodies.ShouldContain("Ваш электронный рецепт отправлен в аптеку «Аптека «Здоровье» № 12». Мы сообщим, когда лекарство отложат.");
        bodies.ShouldContain("По вашему рецепту в аптеке «Аптека «Здоровье» № 12» отпущено: 1 ед., осталось получить: 1 ед.");
        bodies.ShouldContain("Ваш электронный рецепт действует до 1 февраля 2027 г. Отправьте его в аптеку, пока он действует.");
    }
}
