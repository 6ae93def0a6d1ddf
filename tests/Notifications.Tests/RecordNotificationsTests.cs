using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Disputes;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Notifications.Events;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Tests;

/// <summary>
/// Events of the medical record, the access log and data requests become Russian messages in the patient's feed,
/// for that patient only, once however often they arrive.
/// </summary>
[Collection(NotificationsCollection.Name)]
public sealed class RecordNotificationsTests(NotificationsApp app)
{
    private const string Clinic = "ГБУЗ «Городская поликлиника № 3»";

    // 10:00 Moscow time on 5 March 2024.
    private static readonly DateTimeOffset Taken = new(2024, 3, 5, 7, 0, 0, TimeSpan.Zero);

    public static MedicalRecordItemPublished Item(Guid patientId, string kind, string title, int abnormal = 0,
        int version = 1, bool hasDocument = false) => new(
        Guid.CreateVersion7(), Guid.CreateVersion7(), patientId, Guid.CreateVersion7(), Clinic, kind, title, version,
        [kind == RecordItemKinds.LabResult ? "lab_results" : "visits"], Taken, abnormal, hasDocument, DateTimeOffset.UtcNow);

    public static LabThresholdCrossed Threshold(Guid patientId) => new(
        patientId, Guid.CreateVersion7(), "GLU", "Глюкоза", 7.80m, "ммоль/л", 6.1m, "above", Taken, DateTimeOffset.UtcNow);

    public static RecordOpenedByNewOrganization Opened(Guid patientId) => new(
        patientId, Guid.CreateVersion7(), "ООО «Клиника здоровья»", AccessActorRoles.Doctor, "visits", Taken);

    public static DataRequestSubmitted Submitted(Guid patientId) => new(
        Guid.CreateVersion7(), patientId, Guid.CreateVersion7(), Clinic, RecordItemKinds.LabResult,
        new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31), "Нет анализов за январь",
        new DateTimeOffset(2024, 4, 4, 7, 0, 0, TimeSpan.Zero), Taken);

    public static DataRequestStatusChanged StatusChanged(Guid patientId, string status, string? answer) => new(
        Guid.CreateVersion7(), patientId, Guid.CreateVersion7(), Clinic, status, answer, DateTimeOffset.UtcNow);

    private async Task PublishAsync(object message, Guid? messageId = null)
    {
        var id = messageId ?? Guid.CreateVersion7();
        var deliveries = app.Consumed.Count(id) + 1;
        await app.Bus.Publish(message, message.GetType(), Pipe.Execute<PublishContext>(context => context.MessageId = id));
        await app.Consumed.WaitForAsync(id, deliveries);
    }

    private async Task<JsonArray> FeedAsync(Guid patientId)
    {
        using var client = app.PatientClient(patientId);
        using var response = await client.GetAsync("/api/v1/notifications");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.ReadObjectAsync())["items"]!.AsArray();
    }

    /// <summary>Publishes <paramref name="message"/> and returns the one feed item it made for the patient.</summary>
    private async Task<JsonObject> OnlyNotificationAfterAsync(Guid patientId, object message)
    {
        await PublishAsync(message);
        (await FeedAsync(Guid.CreateVersion7())).ShouldBeEmpty();
        return (await FeedAsync(patientId)).ShouldHaveSingleItem()!.AsObject();
    }

    [Fact]
    public async Task A_lab_result_with_abnormal_values_says_so()
    {
        var patientId = Guid.CreateVersion7();
        var message = Item(patientId, RecordItemKinds.LabResult, "Общий анализ крови", abnormal: 2);

        var item = await OnlyNotificationAfterAsync(patientId, message);

        item["category"]!.GetValue<string>().ShouldBe("record_item");
        item["title"]!.GetValue<string>().ShouldBe("Новый результат: Общий анализ крови");
        item["body"]!.GetValue<string>().ShouldBe(
            $"Организация «{Clinic}» прислала результат «Общий анализ крови» от 05.03.2024, есть отклонения от нормы.");
        item["link"]!.GetValue<string>().ShouldBe($"/api/v1/records/items/{message.ItemId}");
    }

    [Fact]
    public async Task A_normal_diagnostic_result_does_not_mention_deviations()
    {
        var patientId = Guid.CreateVersion7();
        var item = await OnlyNotificationAfterAsync(patientId, Item(patientId, RecordItemKinds.DiagnosticResult, "УЗИ брюшной полости"));

        item["title"]!.GetValue<string>().ShouldBe("Новый результат: УЗИ брюшной полости");
        item["body"]!.GetValue<string>().ShouldNotContain("отклонения");
    }

    [Fact]
    public async Task A_discharge_summary_is_a_new_document()
    {
        var patientId = Guid.CreateVersion7();
        var item = await OnlyNotificationAfterAsync(patientId,
            Item(patientId, RecordItemKinds.Discharge, "Выписной эпикриз", hasDocument: true));

        item["title"]!.GetValue<string>().ShouldBe("Новый документ: Выписной эпикриз");
        item["body"]!.GetValue<string>().ShouldBe(
            $"Организация «{Clinic}» добавила документ «Выписной эпикриз» от 05.03.2024. Документ можно скачать в формате PDF.");
    }

    [Theory]
    [InlineData(RecordItemKinds.Visit, "Консультация терапевта")]
    [InlineData(RecordItemKinds.PreventiveExam, "Диспансеризация, I этап")]
    public async Task Visits_and_preventive_exams_are_a_new_record_entry(string kind, string title)
    {
        var patientId = Guid.CreateVersion7();
        var item = await OnlyNotificationAfterAsync(patientId, Item(patientId, kind, title));

        item["title"]!.GetValue<string>().ShouldBe("Новая запись в медицинской карте");
        item["body"]!.GetValue<string>().ShouldBe($"Организация «{Clinic}» добавила запись «{title}» от 05.03.2024.");
    }

    [Fact]
    public async Task A_correction_is_its_own_notification_about_a_corrected_entry()
    {
        var patientId = Guid.CreateVersion7();
        var first = Item(patientId, RecordItemKinds.LabResult, "Общий анализ крови");
        var correction = first with { ItemId = Guid.CreateVersion7(), Version = 2 };
        await PublishAsync(first);
        await PublishAsync(correction);

        var feed = await FeedAsync(patientId);
        feed.Count.ShouldBe(2);
        var newest = feed[0]!;
        newest["title"]!.GetValue<string>().ShouldBe("Исправлена запись: Общий анализ крови");
        newest["body"]!.GetValue<string>().ShouldStartWith($"Организация «{Clinic}» исправила запись «Общий анализ крови» от 05.03.2024.");
        newest["link"]!.GetValue<string>().ShouldBe($"/api/v1/records/items/{correction.ItemId}");
    }

    [Fact]
    public async Task A_crossed_threshold_names_the_value_and_the_threshold_the_Russian_way()
    {
        var patientId = Guid.CreateVersion7();
        var item = await OnlyNotificationAfterAsync(patientId, Threshold(patientId));

        item["category"]!.GetValue<string>().ShouldBe("lab_threshold");
        item["title"]!.GetValue<string>().ShouldBe("Показатель выше вашего порога");
        item["body"]!.GetValue<string>().ShouldBe(
            "Показатель «Глюкоза» 7,8 ммоль/л выше установленного вами порога 6,1 (анализ от 05.03.2024).");
        item["link"]!.GetValue<string>().ShouldBe("/api/v1/records/analytes/GLU/trend");
    }

    [Fact]
    public async Task A_new_organization_opening_the_record_is_a_security_notice()
    {
        var patientId = Guid.CreateVersion7();
        var message = Opened(patientId);
        var item = await OnlyNotificationAfterAsync(patientId, message);

        item["category"]!.GetValue<string>().ShouldBe("record_access");
        item["title"]!.GetValue<string>().ShouldBe("Вашу медицинскую карту открыла новая организация");
        item["body"]!.GetValue<string>().ShouldStartWith(
            "Организация «ООО «Клиника здоровья»» впервые открыла вашу медицинскую карту 05.03.2024 в 10:00 (московское время).");
        item["body"]!.GetValue<string>().ShouldContain("проверьте журнал доступа");
        item["link"]!.GetValue<string>().ShouldBe($"/api/v1/audit/access-log?organizationId={message.OrganizationId}");
    }

    [Fact]
    public async Task A_submitted_data_request_is_confirmed_with_its_due_date()
    {
        var patientId = Guid.CreateVersion7();
        var message = Submitted(patientId);
        var item = await OnlyNotificationAfterAsync(patientId, message);

        item["category"]!.GetValue<string>().ShouldBe("data_request");
        item["title"]!.GetValue<string>().ShouldBe("Запрос данных отправлен");
        item["body"]!.GetValue<string>().ShouldBe($"Запрос в «{Clinic}» отправлен, срок ответа до 04.04.2024.");
        item["link"]!.GetValue<string>().ShouldBe($"/api/v1/disputes/data-requests/{message.RequestId}");
    }

    [Theory]
    [InlineData("answered", "Анализы добавлены в карту.", "Ответ на запрос данных", "Ответ на ваш запрос данных в «" + Clinic + "»: Анализы добавлены в карту.")]
    [InlineData("refused", "Пациент не обслуживался.", "Отказ по запросу данных", "Ответ на ваш запрос данных в «" + Clinic + "»: отказ. Пациент не обслуживался.")]
    [InlineData("in_progress", null, "Запрос данных взят в работу", "Ответ на ваш запрос данных в «" + Clinic + "»: запрос взят в работу.")]
    [InlineData("overdue", null, "Срок ответа на запрос данных истёк", "Организация «" + Clinic + "» не ответила на ваш запрос данных в установленный срок. Вы можете обратиться в организацию напрямую или отправить запрос повторно.")]
    public async Task A_data_request_status_change_tells_the_answer(string status, string? answer, string title, string body)
    {
        var patientId = Guid.CreateVersion7();
        var message = StatusChanged(patientId, status, answer);
        var item = await OnlyNotificationAfterAsync(patientId, message);

        item["title"]!.GetValue<string>().ShouldBe(title);
        item["body"]!.GetValue<string>().ShouldBe(body);
        item["link"]!.GetValue<string>().ShouldBe($"/api/v1/disputes/data-requests/{message.RequestId}");
    }

    public static TheoryData<string> Kinds => new() { "item", "threshold", "opened", "submitted", "status" };

    private static object Make(string kind, Guid patientId) => kind switch
    {
        "item" => Item(patientId, RecordItemKinds.LabResult, "Общий анализ крови", abnormal: 1),
        "threshold" => Threshold(patientId),
        "opened" => Opened(patientId),
        "submitted" => Submitted(patientId),
        _ => StatusChanged(patientId, DataRequestStatuses.Answered, "Готово"),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Redelivery_and_republishing_under_a_new_message_id_notify_once(string kind)
    {
        var patientId = Guid.CreateVersion7();
        var message = Make(kind, patientId);
        var messageId = Guid.CreateVersion7();

        await PublishAsync(message, messageId);
        await PublishAsync(message, messageId);
        await PublishAsync(message);

        (await app.WithDbAsync(db => db.Notifications.CountAsync(n => n.PatientId == patientId))).ShouldBe(1);
        (await FeedAsync(patientId)).Count.ShouldBe(1);
    }

    [Fact]
    public void Texts_for_SMS_and_email_carry_no_medical_details()
    {
        var patientId = Guid.CreateVersion7();
        var texts = new[]
        {
            NotificationTexts.RecordItemPublished(Item(patientId, RecordItemKinds.LabResult, "Общий анализ крови", abnormal: 1)),
            NotificationTexts.RecordItemPublished(Item(patientId, RecordItemKinds.Discharge, "Выписной эпикриз", version: 2)),
            NotificationTexts.RecordItemPublished(Item(patientId, RecordItemKinds.Visit, "Приём психиатра")),
            NotificationTexts.LabThresholdCrossed(Threshold(patientId)),
            NotificationTexts.RecordOpenedByNewOrganization(Opened(patientId)),
            NotificationTexts.DataRequestSubmitted(Submitted(patientId)),
            NotificationTexts.DataRequestStatusChanged(StatusChanged(patientId, DataRequestStatuses.Answered, "Диагноз: F32.1")),
        };

        foreach (var text in texts)
        {
            text.PrivateSummary.ShouldMatch("[А-Яа-яЁё]");
            foreach (var secret in new[] { "анализ крови", "эпикриз", "психиатр", "Глюкоза", "7,8", "6,1", "ммоль", "отклонения", "Клиника", "поликлиника", "F32", "Диагноз" })
            {
                text.PrivateSummary.ShouldNotContain(secret, Case.Insensitive);
            }
        }
    }

    [Fact]
    public void Numbers_and_dates_are_Russian_whatever_the_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("en-US");
        try
        {
            NotificationTexts.Number(7.80m).ShouldBe("7,8");
            NotificationTexts.Number(6m).ShouldBe("6");
            NotificationTexts.Number(0.05m).ShouldBe("0,05");
            NotificationTexts.Number(12000.5m).ShouldBe("12\u00A0000,5");
            // 23:30 UTC on 31 December is already 1 January in Moscow.
            NotificationTexts.Date(new DateTimeOffset(2024, 12, 31, 23, 30, 0, TimeSpan.Zero)).ShouldBe("01.01.2025");
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
