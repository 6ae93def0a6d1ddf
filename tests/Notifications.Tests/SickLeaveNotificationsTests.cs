using System.Net;
using Gosuslugi.Health.Contracts.SickLeave;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Tests;

/// <summary>SickLeave's events: every change of a certificate and every step of a missing-certificate request, in Russian, once.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class SickLeaveNotificationsTests(NotificationsApp app)
{
    private static SickLeaveCertificateChanged Changed(Guid patientId, Guid certificateId, string status, int version) => new(
        certificateId, patientId, Guid.CreateVersion7(), "ГБУЗ «Городская поликлиника № 3»", "910000000123", status, version,
        new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 13), status == SickLeaveStatuses.Closed ? new DateOnly(2026, 11, 14) : null,
        DateTimeOffset.UtcNow);

    private async Task PublishAsync<T>(T message) where T : class
    {
        var messageId = Guid.CreateVersion7();
        await app.Bus.Publish(message, context => context.MessageId = messageId);
        await app.Consumed.WaitForAsync(messageId, 1);
    }

    private async Task<List<(string Title, string Body, string? Link)>> FeedAsync(Guid patientId)
    {
        using var client = app.PatientClient(patientId);
        using var response = await client.GetAsync("/api/v1/notifications");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await response.ReadObjectAsync();
        return page["items"]!.AsArray()
            .Select(i => (i!["title"]!.GetValue<string>(), i["body"]!.GetValue<string>(), i["link"]?.GetValue<string>()))
            .Reverse().ToList();
    }

    [Fact]
    public async Task Every_change_of_a_certificate_notifies_the_patient_once_per_version()
    {
        var patientId = Guid.CreateVersion7();
        var certificateId = Guid.CreateVersion7();

        await PublishAsync(Changed(patientId, certificateId, SickLeaveStatuses.Open, 1));
        await PublishAsync(Changed(patientId, certificateId, SickLeaveStatuses.Extended, 2));
        await PublishAsync(Changed(patientId, certificateId, SickLeaveStatuses.Closed, 3));
        // The same version republished under a new message id.
        await PublishAsync(Changed(patientId, certificateId, SickLeaveStatuses.Closed, 3));
        await PublishAsync(Changed(patientId, certificateId, SickLeaveStatuses.Annulled, 4));

        var feed = await FeedAsync(patientId);
        feed.Select(n => n.Title).ShouldBe(["Открыт листок нетрудоспособности", "Листок нетрудоспособности продлён",
            "Листок нетрудоспособности закрыт", "Листок нетрудоспособности аннулирован"]);
        feed[0].Body.ShouldBe("Организация «ГБУЗ «Городская поликлиника № 3»» открыла листок нетрудоспособности № 910000000123: " +
                              "период нетрудоспособности с 02.11.2026 по 13.11.2026.");
        feed[2].Body.ShouldContain("Приступить к работе — 14.11.2026.");
        feed.ShouldAllBe(n => n.Link == $"/api/v1/sick-leave/certificates/{certificateId}");
        (await app.WithDbAsync(db => db.Notifications.CountAsync(n => n.PatientId == patientId && n.Category == "sick_leave"))).ShouldBe(4);
    }

    [Fact]
    public async Task A_missing_certificate_request_is_confirmed_with_its_due_time_and_each_answer_is_told()
    {
        var patientId = Guid.CreateVersion7();
        var requestId = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var submittedAt = new DateTimeOffset(2026, 12, 7, 9, 30, 0, TimeSpan.Zero);

        await PublishAsync(new SickLeaveRequestSubmitted(requestId, patientId, organizationId, "ГБУЗ «Городская поликлиника № 3»",
            new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 13), submittedAt.AddHours(24), submittedAt));
        await PublishAsync(new SickLeaveRequestStatusChanged(requestId, patientId, organizationId, "ГБУЗ «Городская поликлиника № 3»",
            SickLeaveRequestStatuses.Overdue, null, null, null, submittedAt.AddHours(25)));
        await PublishAsync(new SickLeaveRequestStatusChanged(requestId, patientId, organizationId, "ГБУЗ «Городская поликлиника № 3»",
            SickLeaveRequestStatuses.Refused, null, null, "За этот период обращений не было.", submittedAt.AddHours(26)));

        var feed = await FeedAsync(patientId);
        feed.Select(n => n.Title).ShouldBe(["Запрос листка нетрудоспособности отправлен", "Срок ответа на запрос листка истёк",
            "Отказ по запросу листка нетрудоспособности"]);
        feed[0].Body.ShouldContain("Ответ ожидается до 8 декабря 2026 г. в 12:30 (московское время).");
        feed[2].Body.ShouldEndWith("Причина: За этот период обращений не было.");
        feed.ShouldAllBe(n => n.Link == $"/api/v1/sick-leave/requests/{requestId}");
    }

    [Fact]
    public async Task The_sms_and_email_summary_of_a_certificate_holds_no_details()
    {
        var text = Events.NotificationTexts.SickLeaveCertificateChanged(Changed(Guid.CreateVersion7(), Guid.CreateVersion7(), SickLeaveStatuses.Closed, 2));

        text.PrivateSummary.ShouldNotContain("910000000123");
        text.PrivateSummary.ShouldNotContain("поликлиника");
        text.PrivateSummary.ShouldStartWith("Ваш листок нетрудоспособности закрыт.");
        await Task.CompletedTask;
    }
}
