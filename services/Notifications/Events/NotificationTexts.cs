using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Disputes;
using Gosuslugi.Health.Contracts.Records;

namespace Gosuslugi.Health.Notifications.Events;

/// <summary>
/// What a notification says, for every channel. <see cref="Title"/> and <see cref="Body"/> may hold medical details
/// (a test's name, a value, an organization) and belong in the in-app feed only, behind the patient's sign-in.
/// <see cref="PrivateSummary"/> holds none of them: it is the only text an SMS, e-mail or push may carry.
/// </summary>
public sealed record NotificationText(string Title, string Body, string PrivateSummary);

/// <summary>
/// Every text the patient reads about the record, the access log and data requests, in one place, so that channels
/// choose between the full and the private text here and not in each consumer. Russian, numbers and dates ru-RU,
/// times in Moscow time whatever the server's culture and zone.
/// </summary>
public static class NotificationTexts
{
    public const int TitleLength = 200;
    public const int BodyLength = 2000;

    private static readonly CultureInfo Russian = CultureInfo.GetCultureInfo("ru-RU");

    // Russia has had no daylight saving time since 2014: Moscow time is UTC+3 all year.
    private static readonly TimeSpan MoscowOffset = TimeSpan.FromHours(3);

    private const string SeeDetails = "Подробности — в личном кабинете «Моё здоровье».";

    public static NotificationText RecordItemPublished(MedicalRecordItemPublished m)
    {
        var date = Date(m.EffectiveAt);
        if (m.Version > 1)
        {
            return Text($"Исправлена запись: {m.Title}",
                $"Организация «{m.OrganizationName}» исправила запись «{m.Title}» от {date}. Предыдущая версия сохранена в истории записи.",
                $"Исправлена запись в вашей медицинской карте. {SeeDetails}");
        }

        if (RecordItemKinds.IsResult(m.Kind))
        {
            var abnormal = m.AbnormalCount > 0 ? ", есть отклонения от нормы" : "";
            return Text($"Новый результат: {m.Title}",
                $"Организация «{m.OrganizationName}» прислала результат «{m.Title}» от {date}{abnormal}.",
                $"В вашей медицинской карте новый результат. {SeeDetails}");
        }

        if (m.Kind is RecordItemKinds.Protocol or RecordItemKinds.Discharge)
        {
            var pdf = m.HasDocument ? " Документ можно скачать в формате PDF." : "";
            return Text($"Новый документ: {m.Title}",
                $"Организация «{m.OrganizationName}» добавила документ «{m.Title}» от {date}.{pdf}",
                $"В вашей медицинской карте новый документ. {SeeDetails}");
        }

        // Visits and preventive exams.
        return Text("Новая запись в медицинской карте",
            $"Организация «{m.OrganizationName}» добавила запись «{m.Title}» от {date}.",
            $"В вашей медицинской карте новая запись. {SeeDetails}");
    }

    public static NotificationText LabThresholdCrossed(LabThresholdCrossed m)
    {
        var above = m.Direction == "above";
        var unit = string.IsNullOrWhiteSpace(m.Unit) ? "" : $" {m.Unit}";
        return Text(above ? "Показатель выше вашего порога" : "Показатель ниже вашего порога",
            $"Показатель «{m.AnalyteName}» {Number(m.Value)}{unit} {(above ? "выше" : "ниже")} установленного вами порога " +
            $"{Number(m.Threshold)} (анализ от {Date(m.TakenAt)}).",
            $"Новый результат анализа вышел за установленный вами порог. {SeeDetails}");
    }

    public static NotificationText RecordOpenedByNewOrganization(RecordOpenedByNewOrganization m) =>
        Text("Вашу медицинскую карту открыла новая организация",
            $"Организация «{m.OrganizationName}» впервые открыла вашу медицинскую карту {DateAndTime(m.OccurredAt)} " +
            "(московское время). Если вы не обращались в эту организацию, проверьте журнал доступа и при необходимости " +
            "закройте ей доступ к карте в настройках.",
            "Вашу медицинскую карту впервые открыла новая организация. Проверьте журнал доступа в личном кабинете «Моё здоровье».");

    public static NotificationText DataRequestSubmitted(DataRequestSubmitted m) =>
        Text("Запрос данных отправлен",
            $"Запрос в «{m.OrganizationName}» отправлен, срок ответа до {Date(m.DueAt)}.",
            $"Ваш запрос недостающих данных отправлен. {SeeDetails}");

    public static NotificationText DataRequestStatusChanged(DataRequestStatusChanged m)
    {
        var prefix = $"Ответ на ваш запрос данных в «{m.OrganizationName}»";
        return m.Status switch
        {
            DataRequestStatuses.InProgress => Text("Запрос данных взят в работу",
                $"{prefix}: запрос взят в работу.",
                $"Ваш запрос недостающих данных взят в работу. {SeeDetails}"),
            DataRequestStatuses.Answered => Text("Ответ на запрос данных",
                $"{prefix}: {m.Answer}",
                $"Получен ответ на ваш запрос недостающих данных. {SeeDetails}"),
            DataRequestStatuses.Refused => Text("Отказ по запросу данных",
                $"{prefix}: отказ. {m.Answer}",
                $"Получен ответ на ваш запрос недостающих данных. {SeeDetails}"),
            DataRequestStatuses.Overdue => Text("Срок ответа на запрос данных истёк",
                $"Организация «{m.OrganizationName}» не ответила на ваш запрос данных в установленный срок. " +
                "Вы можете обратиться в организацию напрямую или отправить запрос повторно.",
                $"Срок ответа на ваш запрос недостающих данных истёк. {SeeDetails}"),
            _ => Text("Изменился статус запроса данных",
                $"{prefix}: статус запроса изменился.",
                $"Изменился статус вашего запроса недостающих данных. {SeeDetails}"),
        };
    }

    /// <summary>A reminder <paramref name="kind"/> ("24h" or "2h", <c>ReminderKinds</c>) before the appointment.</summary>
    public static NotificationText AppointmentReminder(AppointmentBooked appointment, string kind) =>
        Text("Напоминание о приёме", $"Приём {Date(appointment.StartsAt)}.", "Напоминание о приёме к врачу. " + SeeDetails);

    /// <summary>7.80 → "7,8"; 12000 → "12 000" (ru-RU).</summary>
    public static string Number(decimal value) => value.ToString("#,0.##########", Russian);

    /// <summary>The calendar date in Moscow, dd.MM.yyyy.</summary>
    public static string Date(DateTimeOffset at) => at.ToOffset(MoscowOffset).ToString("dd.MM.yyyy", Russian);

    private static string DateAndTime(DateTimeOffset at) =>
        at.ToOffset(MoscowOffset).ToString("dd.MM.yyyy 'в' HH:mm", Russian);

    /// <summary>
    /// A stable id for a fact that has no id of its own (a threshold crossing, a status change), so that the same fact
    /// published twice under different message ids notifies once: the notifications' (Category, SourceId) is unique.
    /// </summary>
    public static Guid SourceIdOf(params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // version 8 (custom, RFC 9562) in the little-endian Guid layout
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes);
    }

    private static NotificationText Text(string title, string body, string privateSummary) =>
        new(Limit(title, TitleLength), Limit(body.TrimEnd(), BodyLength), privateSummary);

    private static string Limit(string value, int length) => value.Length <= length ? value : value[..(length - 1)] + "…";
}
