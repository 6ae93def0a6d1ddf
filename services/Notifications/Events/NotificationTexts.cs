using Gosuslugi.Health.Contracts.Prescriptions;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Disputes;
using Gosuslugi.Health.Contracts.Immunizations;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Contracts.SickLeave;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults;

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

    public static NotificationText ImmunizationRecorded(ImmunizationRecorded m) =>
        Text("Новая запись о вакцинации",
            $"{m.OrganizationName} внесла запись о вакцинации: {m.VaccineName} ({m.Disease}), " +
            $"{m.AdministeredOn.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)}.",
            $"В вашей медицинской карте новая запись о вакцинации. {SeeDetails}");

    /// <summary>A sick-leave certificate opened, extended, closed or annulled by the organization.</summary>
    public static NotificationText SickLeaveCertificateChanged(SickLeaveCertificateChanged m)
    {
        var certificate = $"листок нетрудоспособности № {m.Number}";
        var period = $"с {ShortDate(m.StartsOn)} по {ShortDate(m.EndsOn)}";
        return m.Status switch
        {
            SickLeaveStatuses.Extended => Text("Листок нетрудоспособности продлён",
                $"Организация «{m.OrganizationName}» продлила {certificate}: период нетрудоспособности {period}.",
                $"Ваш листок нетрудоспособности продлён. {SeeDetails}"),
            SickLeaveStatuses.Closed => Text("Листок нетрудоспособности закрыт",
                $"Организация «{m.OrganizationName}» закрыла {certificate} ({period})." +
                (m.ReturnToWorkOn is { } back ? $" Приступить к работе — {ShortDate(back)}." : "") +
                " Листок можно скачать в формате PDF.",
                $"Ваш листок нетрудоспособности закрыт. {SeeDetails}"),
            SickLeaveStatuses.Annulled => Text("Листок нетрудоспособности аннулирован",
                $"Организация «{m.OrganizationName}» аннулировала {certificate} ({period}). Если вы не согласны, обратитесь в организацию.",
                $"Ваш листок нетрудоспособности аннулирован. {SeeDetails}"),
            _ when m.Version > 1 => Text("Листок нетрудоспособности изменён",
                $"Организация «{m.OrganizationName}» изменила {certificate} ({period}).",
                $"Ваш листок нетрудоспособности изменён. {SeeDetails}"),
            _ => Text("Открыт листок нетрудоспособности",
                $"Организация «{m.OrganizationName}» открыла {certificate}: период нетрудоспособности {period}.",
                $"Вам открыт листок нетрудоспособности. {SeeDetails}"),
        };
    }

    /// <summary>The request for a missing certificate went out, with the time the answer is due.</summary>
    public static NotificationText SickLeaveRequestSubmitted(SickLeaveRequestSubmitted m) =>
        Text("Запрос листка нетрудоспособности отправлен",
            $"Ваш запрос в организацию «{m.OrganizationName}» о листке нетрудоспособности за период с {ShortDate(m.PeriodFrom)} " +
            $"по {ShortDate(m.PeriodTo)} отправлен. Ответ ожидается до {DateAndTimeLong(m.DueAt)} (московское время).",
            $"Ваш запрос листка нетрудоспособности отправлен. {SeeDetails}");

    /// <summary>The organization answered with a certificate or refused, or the 24 hours passed without an answer.</summary>
    public static NotificationText SickLeaveRequestStatusChanged(SickLeaveRequestStatusChanged m) => m.Status switch
    {
        SickLeaveRequestStatuses.Answered => Text("Листок нетрудоспособности получен",
            $"Организация «{m.OrganizationName}» ответила на ваш запрос: листок нетрудоспособности № {m.CertificateNumber} " +
            "доступен в разделе «Листки нетрудоспособности».",
            $"Получен ответ на ваш запрос листка нетрудоспособности. {SeeDetails}"),
        SickLeaveRequestStatuses.Refused => Text("Отказ по запросу листка нетрудоспособности",
            $"Организация «{m.OrganizationName}» отказала в предоставлении листка нетрудоспособности. Причина: {m.RefusalReason}",
            $"Получен ответ на ваш запрос листка нетрудоспособности. {SeeDetails}"),
        SickLeaveRequestStatuses.Overdue => Text("Срок ответа на запрос листка истёк",
            $"Организация «{m.OrganizationName}» не ответила на ваш запрос листка нетрудоспособности за 24 часа. " +
            "Запрос остаётся в работе; вы можете обратиться в организацию напрямую.",
            $"Срок ответа на ваш запрос листка нетрудоспособности истёк. {SeeDetails}"),
        _ => Text("Изменился статус запроса листка нетрудоспособности",
            $"Изменился статус вашего запроса в организацию «{m.OrganizationName}».",
            $"Изменился статус вашего запроса листка нетрудоспособности. {SeeDetails}"),
    };

    public static NotificationText VaccinationDue(VaccinationDue m)
    {
        var vaccine = string.IsNullOrWhiteSpace(m.VaccineName) ? "" : $", вакцина «{m.VaccineName.Trim()}»";
        return Text("Пора сделать прививку",
            $"Пора сделать прививку: {m.Disease}{vaccine}. Рекомендуемый срок — {LongDate(m.DueOn)} " +
            "Запишитесь на вакцинацию в свою поликлинику.",
            // The disease stays out: some vaccinations tell more about a person than they would share by SMS.
            $"Пора сделать прививку по календарю вакцинации. {SeeDetails}");
    }

    /// <summary>A planned диспансеризация or профосмотр draws near.</summary>
    public static NotificationText PreventiveExamDue(PreventiveExamDue m)
    {
        var dispanserization = m.Program == PreventivePrograms.Dispanserization;
        var planned = dispanserization
            ? m.Stage is { } stage ? $"запланирован {stage}-й этап диспансеризации" : "запланирована диспансеризация"
            : "запланирован профилактический медицинский осмотр";
        var where = string.IsNullOrWhiteSpace(m.OrganizationName) ? "" : $" в организации «{m.OrganizationName.Trim()}»";
        return Text(dispanserization ? "Пора пройти диспансеризацию" : "Пора пройти профилактический осмотр",
            $"Вам {planned}{where}. Дата — {LongDate(m.DueOn)} " +
            "Если дата вам не подходит, свяжитесь со своей поликлиникой.",
            // Neither the program nor the organization: a summary goes by SMS or e-mail.
            $"Вам запланирован профилактический осмотр. {SeeDetails}");
    }

    // Prescriptions: never the medicine's name (it tells of a diagnosis), by SMS or e-mail least of all.
    public static NotificationText PrescriptionIssued(PrescriptionIssued m) => m.Status switch
    {
        PrescriptionStatuses.Cancelled => Text("Рецепт отменён",
            $"Организация «{m.OrganizationName}» отменила ваш электронный рецепт. {SeeDetails}", $"Ваш электронный рецепт отменён. {SeeDetails}"),
        _ when m.Version > 1 => Text("Рецепт изменён",
            $"Организация «{m.OrganizationName}» изменила ваш электронный рецепт. Он действует до {LongDate(m.ValidUntil)} {SeeDetails}",
            $"Ваш электронный рецепт изменён. {SeeDetails}"),
        _ => Text("Новый электронный рецепт",
            $"Организация «{m.OrganizationName}» выписала вам электронный рецепт. Он действует до {LongDate(m.ValidUntil)} " +
            "Его можно отправить в аптеку из раздела «Мои назначения».",
            $"Вам выписан электронный рецепт. {SeeDetails}"),
    };

    public static NotificationText PrescriptionStatusChanged(PrescriptionStatusChanged m)
    {
        var name = string.IsNullOrWhiteSpace(m.PharmacyName) ? "" : $" «{m.PharmacyName.Trim()}»";
        var pharmacy = "аптеке" + name;
        return m.Change switch
        {
            PrescriptionChanges.SentToPharmacy => Text("Рецепт отправлен в аптеку",
                $"Ваш электронный рецепт отправлен в аптеку{name}. Мы сообщим, когда лекарство отложат.",
                $"Ваш электронный рецепт отправлен в аптеку. {SeeDetails}"),
            PrescriptionChanges.Reserved => Text("Лекарство отложено",
                $"Лекарство по вашему рецепту отложено в {pharmacy}. Возьмите с собой паспорт.",
                $"Лекарство по вашему рецепту отложено в аптеке. {SeeDetails}"),
            PrescriptionChanges.PartlyDispensed => Text("Лекарство отпущено частично",
                $"По вашему рецепту в {pharmacy} отпущено: {Quantity(m.DispensedQuantity)}, осталось получить: {Quantity(m.RemainingQuantity)}",
                $"По вашему рецепту отпущена часть лекарства. {SeeDetails}"),
            PrescriptionChanges.Dispensed => Text("Лекарство получено",
                $"По вашему рецепту в {pharmacy} отпущено всё назначенное количество. Рецепт закрыт.",
                $"По вашему рецепту отпущено всё назначенное количество. {SeeDetails}"),
            PrescriptionChanges.Expired => Text("Срок действия рецепта истёк",
                "Срок действия вашего электронного рецепта истёк. Если лекарство ещё нужно, обратитесь к врачу за новым рецептом.",
                $"Срок действия вашего электронного рецепта истёк. {SeeDetails}"),
            _ => Text("Рецепт изменён", $"Ваш электронный рецепт изменён. {SeeDetails}", $"Ваш электронный рецепт изменён. {SeeDetails}"),
        };
    }

    public static NotificationText PrescriptionExpiring(PrescriptionExpiring m) => Text("Рецепт скоро истечёт",
        $"Ваш электронный рецепт действует до {LongDate(m.ValidUntil)} Отправьте его в аптеку, пока он действует.",
        $"Срок действия вашего электронного рецепта скоро истечёт. {SeeDetails}");

    private static string Quantity(decimal? value) =>
        (value ?? 0).ToString("0.###", Russian) + " ед.";

    /// <summary>A booking confirmed, or (with <see cref="Contracts.Appointments.AppointmentBooked.PreviousStartsAt"/>) a move.</summary>
    public static NotificationText AppointmentBooked(AppointmentBooked m)
    {
        var when = DateAndTimeLong(m.StartsAt);
        var visit = m.Telemedicine ? "онлайн-консультацию с врачом" : "приём к врачу";
        var details = AppointmentDetails(m.Specialty, m.DoctorName, m.OrganizationName, m.Telemedicine, m.Address);
        if (m.PreviousStartsAt is { } previous)
        {
            var byOrganization = m.ChangedBy == AppointmentChangedBy.Organization;
            var reason = byOrganization && !string.IsNullOrWhiteSpace(m.Reason) ? $" Причина: {m.Reason.Trim()}." : "";
            var who = byOrganization ? $"Организация «{m.OrganizationName}» перенесла вашу запись" : "Ваша запись перенесена";
            return Text(byOrganization ? "Организация перенесла вашу запись" : "Запись перенесена",
                $"{who} на {visit} с {DateAndTimeLong(previous)} на {when} (московское время).{reason} {details}",
                (byOrganization ? "Организация перенесла вашу запись" : "Ваша запись перенесена") +
                $" на {visit}: новое время — {when} (мск). {SeeDetails}");
        }

        return Text(m.Telemedicine ? "Вы записаны на онлайн-консультацию" : "Вы записаны на приём",
            $"Вы записаны на {visit} {when} (московское время). {details}",
            $"Вы записаны на {visit} {when} (мск). {SeeDetails}");
    }

    public static NotificationText AppointmentCancelled(AppointmentCancelled m)
    {
        var when = m.StartsAt is { } startsAt ? $" на {DateAndTimeLong(startsAt)}" : "";
        var doctor = string.Join(", ", new[] { m.Specialty, m.DoctorName }.Where(s => !string.IsNullOrWhiteSpace(s)));
        var doctorPart = doctor.Length > 0 ? $" ({doctor})" : "";
        if (m.CancelledBy == AppointmentChangedBy.Organization)
        {
            var organization = string.IsNullOrWhiteSpace(m.OrganizationName) ? "Медицинская организация" : $"Организация «{m.OrganizationName}»";
            var reason = string.IsNullOrWhiteSpace(m.Reason) ? "" : $" Причина: {m.Reason.Trim()}.";
            return Text("Организация отменила вашу запись",
                $"{organization} отменила вашу запись к врачу{doctorPart}{when}.{reason} Вы можете записаться на другое время в приложении.",
                $"Организация отменила вашу запись к врачу{when}. {SeeDetails}");
        }

        var at = string.IsNullOrWhiteSpace(m.OrganizationName) ? "" : $" в «{m.OrganizationName}»";
        return Text("Запись отменена",
            $"Ваша запись к врачу{doctorPart}{at}{when} отменена.",
            $"Ваша запись к врачу{when} отменена. {SeeDetails}");
    }

    public static NotificationText WaitlistSlotOffered(WaitlistSlotOffered m)
    {
        var visit = m.Telemedicine ? "онлайн-консультации" : "приёма";
        var until = DateAndTimeLong(m.ExpiresAt);
        return Text("Освободилось более раннее время",
            $"Для вас освободилось время {visit}: {DateAndTimeLong(m.StartsAt)} (московское время), врач: {m.Specialty}, " +
            $"{m.DoctorName}, организация «{m.OrganizationName}». Время закреплено за вами до {until} — подтвердите " +
            "запись в приложении, иначе оно перейдёт следующему в очереди.",
            $"Для вас освободилось более раннее время {visit} — {DateAndTimeLong(m.StartsAt)} (мск). " +
            $"Подтвердите запись до {until} в личном кабинете «Моё здоровье».");
    }

    public static NotificationText PatientAttached(PatientAttached m) =>
        Text("Вы прикреплены к поликлинике",
            $"С {LongDate(m.AttachedOn)} вы прикреплены к организации «{m.OrganizationName}». " +
            "Записываться к врачам теперь можно туда.",
            $"Изменилось ваше прикрепление к поликлинике. {SeeDetails}");

    public static NotificationText PatientDetached(PatientDetached m) =>
        // Older events name no organization.
        Text("Прикрепление к поликлинике завершено",
            $"Ваше прикрепление к {(m.OrganizationName is { Length: > 0 } name ? $"организации «{name}»" : "поликлинике")} завершено {LongDate(m.DetachedOn)} Если вы уже прикрепились к другой " +
            "поликлинике, ничего делать не нужно; иначе подайте заявление о прикреплении в приложении.",
            $"Изменилось ваше прикрепление к поликлинике. {SeeDetails}");

    public static NotificationText AttachmentRequestStatusChanged(AttachmentRequestStatusChanged m)
    {
        var answer = string.IsNullOrWhiteSpace(m.Answer) ? "" : $" Ответ организации: {m.Answer.Trim()}";
        return m.Status switch
        {
            AttachmentRequestStatuses.Submitted => Text("Заявление о прикреплении отправлено",
                $"Ваше заявление о прикреплении к организации «{m.OrganizationName}» отправлено. " +
                "Организация рассмотрит его и сообщит о решении.",
                $"Ваше заявление о прикреплении к поликлинике отправлено. {SeeDetails}"),
            AttachmentRequestStatuses.Approved => Text("Заявление о прикреплении одобрено",
                $"Организация «{m.OrganizationName}» одобрила ваше заявление о прикреплении.{answer}",
                $"Ваше заявление о прикреплении к поликлинике одобрено. {SeeDetails}"),
            AttachmentRequestStatuses.Refused => Text("Отказ в прикреплении",
                $"Организация «{m.OrganizationName}» отказала в прикреплении.{answer}",
                $"По вашему заявлению о прикреплении к поликлинике получен ответ. {SeeDetails}"),
            AttachmentRequestStatuses.Withdrawn => Text("Заявление о прикреплении отозвано",
                $"Ваше заявление о прикреплении к организации «{m.OrganizationName}» отозвано.",
                $"Ваше заявление о прикреплении к поликлинике отозвано. {SeeDetails}"),
            _ => Text("Изменился статус заявления о прикреплении",
                $"Изменился статус вашего заявления о прикреплении к организации «{m.OrganizationName}».{answer}",
                $"Изменился статус вашего заявления о прикреплении к поликлинике. {SeeDetails}"),
        };
    }

    /// <summary>A reminder <paramref name="kind"/> ("24h" or "2h", <c>ReminderKinds</c>) before the appointment.</summary>
    public static NotificationText AppointmentReminder(AppointmentBooked appointment, string kind)
    {
        var soon = kind == ReminderKinds.TwoHoursBefore ? "через 2 часа" : "завтра";
        var when = kind == ReminderKinds.TwoHoursBefore ? $"в {Time(appointment.StartsAt)}" : DateAndTimeLong(appointment.StartsAt);
        var visit = appointment.Telemedicine ? "онлайн-консультация с врачом" : "приём у врача";
        var details = AppointmentDetails(appointment.Specialty, appointment.DoctorName, appointment.OrganizationName,
            appointment.Telemedicine, appointment.Address);
        return Text(appointment.Telemedicine ? $"Напоминание: онлайн-консультация {soon}" : $"Напоминание: приём {soon}",
            $"Напоминаем: {soon}, {when} (московское время), {visit}. {details}",
            $"Напоминаем: {soon}, {when} (мск), у вас {visit}. " +
            (appointment.Telemedicine ? "Подключиться можно в личном кабинете «Моё здоровье»." : SeeDetails));
    }

    /// <summary>A sign-in from a device the account has not used before.</summary>
    public static NotificationText SignInFromNewDevice(DateTimeOffset at, string? userAgent, string? ipAddress)
    {
        var device = string.IsNullOrWhiteSpace(userAgent) ? "" : $" Устройство: {Limit(userAgent.Trim(), 200)}.";
        var address = string.IsNullOrWhiteSpace(ipAddress) ? "" : $" IP-адрес: {ipAddress.Trim()}.";
        return Text("Вход с нового устройства",
            $"{DateAndTimeLong(at)} (московское время) выполнен вход в вашу учётную запись с нового устройства.{device}{address} " +
            "Если это были не вы, смените пароль и завершите другие сеансы в настройках безопасности.",
            $"Вход в вашу учётную запись «Моё здоровье» с нового устройства {DateAndTimeLong(at)} (мск). " +
            "Если это были не вы, смените пароль.");
    }

    /// <summary>Sign-in locked after too many failed attempts, until <paramref name="until"/> when known.</summary>
    public static NotificationText LockedOut(DateTimeOffset at, DateTimeOffset? until)
    {
        var till = until is { } u ? $" до {DateAndTimeLong(u)} (московское время)" : "";
        var tillShort = until is { } v ? $" до {DateAndTimeLong(v)} (мск)" : "";
        return Text("Вход в учётную запись временно заблокирован",
            $"{DateAndTimeLong(at)} (московское время) после нескольких неудачных попыток входа вход в вашу учётную запись " +
            $"заблокирован{till}. Если это были не вы, после разблокировки смените пароль.",
            $"Вход в вашу учётную запись «Моё здоровье» временно заблокирован{tillShort} после неудачных попыток входа. " +
            "Если это были не вы, смените пароль.");
    }

    /// <summary>"12 декабря 2026 г. в 09:20": the instant in Moscow time.</summary>
    public static string DateAndTimeLong(DateTimeOffset at) =>
        at.ToOffset(MoscowTime.Offset).ToString("d MMMM yyyy 'г. в' HH:mm", Russian);

    /// <summary>"12 декабря 2026 г."</summary>
    public static string LongDate(DateOnly date) => date.ToString("d MMMM yyyy 'г.'", Russian);

    public static string ShortDate(DateOnly date) => date.ToString("dd.MM.yyyy", Russian);

    /// <summary>"09:20" in Moscow time.</summary>
    public static string Time(DateTimeOffset at) => at.ToOffset(MoscowTime.Offset).ToString("HH:mm", Russian);

    /// <summary>The feed's (not the SMS's) description of a visit: doctor, organization, where. Never the join link.</summary>
    private static string AppointmentDetails(string specialty, string doctorName, string organizationName, bool telemedicine,
        string? address)
    {
        var where = telemedicine
            ? "Консультация проходит онлайн: ссылка для подключения — на странице записи в приложении."
            : string.IsNullOrWhiteSpace(address) ? "" : $"Адрес: {address.Trim()}.";
        return $"Врач: {specialty}, {doctorName}. Организация «{organizationName}». {where}";
    }

    /// <summary>7.80 → "7,8"; 12000 → "12 000" (ru-RU).</summary>
    public static string Number(decimal value) => value.ToString("#,0.##########", Russian);

    /// <summary>The calendar date in Moscow, dd.MM.yyyy.</summary>
    public static string Date(DateTimeOffset at) => at.ToOffset(MoscowTime.Offset).ToString("dd.MM.yyyy", Russian);

    private static string DateAndTime(DateTimeOffset at) =>
        at.ToOffset(MoscowTime.Offset).ToString("dd.MM.yyyy 'в' HH:mm", Russian);

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
