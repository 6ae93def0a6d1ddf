using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Notifications.Events;
using MassTransit;

namespace Gosuslugi.Health.Notifications.Tests;

/// <summary>Records' reminders of a planned preventive exam, published on the bus, read back from the patient's feed.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class PreventiveExamNotificationsTests(NotificationsApp app)
{
    [Fact]
    public async Task A_dispanserization_due_is_told_once_in_Russian_with_the_date_and_the_organization()
    {
        var patientId = Guid.CreateVersion7();
        var due = new PreventiveExamDue(Guid.CreateVersion7(), patientId, PreventivePrograms.Dispanserization, 1,
            "ГБУЗ «Городская поликлиника № 3»", new DateOnly(2027, 1, 15), DateTimeOffset.UtcNow);
        var first = Guid.CreateVersion7();
        var second = Guid.CreateVersion7();

        await app.Bus.Publish(due, c => c.MessageId = first);
        await app.Bus.Publish(due with { OccurredAt = DateTimeOffset.UtcNow }, c => c.MessageId = second);
        await app.Consumed.WaitForAsync(first, 1);
        await app.Consumed.WaitForAsync(second, 1);

        using var client = app.PatientClient(patientId);
        var item = await client.WaitForItemAsync("preventive_exam");
        item["title"]!.GetValue<string>().ShouldBe("Пора пройти диспансеризацию");
        item["body"]!.GetValue<string>().ShouldBe("Вам запланирован 1-й этап диспансеризации в организации " +
            "«ГБУЗ «Городская поликлиника № 3»». Дата — 15 января 2027 г. " +
            "Если дата вам не подходит, свяжитесь со своей поликлиникой.");
        item["link"]!.GetValue<string>().ShouldBe($"/api/v1/records/items/{due.ItemId}");
        (await client.FeedAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_prof_exam_without_an_organization_is_told_and_nobody_else_sees_it()
    {
        var patientId = Guid.CreateVersion7();
        var due = new PreventiveExamDue(Guid.CreateVersion7(), patientId, PreventivePrograms.ProfExam, null, null,
            new DateOnly(2027, 3, 2), DateTimeOffset.UtcNow);
        var id = Guid.CreateVersion7();

        await app.Bus.Publish(due, c => c.MessageId = id);
        await app.Consumed.WaitForAsync(id, 1);

        using var client = app.PatientClient(patientId);
        var item = await client.WaitForItemAsync("preventive_exam");
        item["title"]!.GetValue<string>().ShouldBe("Пора пройти профилактический осмотр");
        item["body"]!.GetValue<string>().ShouldBe("Вам запланирован профилактический медицинский осмотр. " +
            "Дата — 2 марта 2027 г. Если дата вам не подходит, свяжитесь со своей поликлиникой.");

        using var other = app.PatientClient(Guid.CreateVersion7());
        (await other.FeedAsync()).ShouldBeEmpty();
    }

    [Fact]
    public void The_private_summary_names_neither_the_program_nor_the_organization()
    {
        var text = NotificationTexts.PreventiveExamDue(new PreventiveExamDue(Guid.CreateVersion7(), Guid.CreateVersion7(),
            PreventivePrograms.Dispanserization, 2, "ГБУЗ «Городская поликлиника № 3»", new DateOnly(2027, 1, 15),
            DateTimeOffset.UtcNow));

        text.PrivateSummary.ShouldBe("Вам запланирован профилактический осмотр. Подробности — в личном кабинете «Моё здоровье».");
        text.Body.ShouldStartWith("Вам запланирован 2-й этап диспансеризации");
    }
}
