using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.Contracts.Immunizations;
using MassTransit;

namespace Gosuslugi.Health.Notifications.Tests;

/// <summary>Appointments' and Immunizations' events, published on the bus, read back from the patient's feed.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class AppointmentNotificationsTests(NotificationsApp app)
{
    private static readonly DateTimeOffset Twelfth0920 = NotificationTextsTests.Twelfth0920;

    /// <summary>14 December 2026, 10:40 in Moscow.</summary>
    private static readonly DateTimeOffset Fourteenth1040 = new(2026, 12, 14, 7, 40, 0, TimeSpan.Zero);

    private static AppointmentBooked Booked(Guid patientId, bool telemedicine = false) => new(
        Guid.CreateVersion7(), patientId, Guid.CreateVersion7(), "ГБУЗ «Городская поликлиника № 3»",
        Guid.CreateVersion7(), "Иванова Мария Петровна", "Терапевт", Twelfth0920, telemedicine, DateTimeOffset.UtcNow,
        Twelfth0920.AddMinutes(20), telemedicine ? null : "Москва, ул. Ленина, 1, каб. 12",
        telemedicine ? "https://video.example.org/room/secret-42" : null, ChangedBy: AppointmentChangedBy.Patient);

    [Fact]
    public async Task A_booking_is_confirmed_in_the_feed_with_the_Moscow_time_and_a_link_to_the_appointment()
    {
        var patientId = Guid.CreateVersion7();
        var booked = Booked(patientId);

        await app.Bus.Publish(booked);

        using var client = app.PatientClient(patientId);
        var item = await client.WaitForItemAsync("appointment");
        item["title"]!.GetValue<string>().ShouldBe("Вы записаны на приём");
        item["body"]!.GetValue<string>().ShouldBe("Вы записаны на приём к врачу 12 декабря 2026 г. в 09:20 (московское время). " +
            "Врач: Терапевт, Иванова Мария Петровна. Организация «ГБУЗ «Городская поликлиника № 3»». " +
            "Адрес: Москва, ул. Ленина, 1, каб. 12.");
        item["link"]!.GetValue<string>().ShouldBe($"/api/v1/appointments/{booked.AppointmentId}");
    }

    [Fact]
    public async Task A_telemedicine_booking_mentions_the_online_consultation_but_not_the_join_link()
    {
        var patientId = Guid.CreateVersion7();
        var booked = Booked(patientId, telemedicine: true);

        await app.Bus.Publish(booked);

        using var client = app.PatientClient(patientId);
        var item = await client.WaitForItemAsync("appointment");
        item["title"]!.GetValue<string>().ShouldBe("Вы записаны на онлайн-консультацию");
        var body = item["body"]!.GetValue<string>();
        body.ShouldStartWith("Вы записаны на онлайн-консультацию с врачом 12 декабря 2026 г. в 09:20 (московское время).");
        body.ShouldContain("ссылка для подключения — на странице записи в приложении");
        body.ShouldNotContain("video.example.org");
        item["link"]!.GetValue<string>().ShouldBe($"/api/v1/appointments/{booked.AppointmentId}");
    }

    [Fact]
    public async Task A_move_by_the_organization_says_who_moved_it_when_and_why()
    {
        var patientId = Guid.CreateVersion7();
        var booked = Booked(patientId);
        var moved = booked with
        {
            StartsAt = Fourteenth1040, PreviousStartsAt = Twelfth0920, ChangedBy = AppointmentChangedBy.Organization,
            Reason = "врач на курсах повышения квалификации", OccurredAt = DateTimeOffset.UtcNow.AddSeconds(1),
        };

        await app.Bus.Publish(booked);
        await app.Bus.Publish(moved);

        using var client = app.PatientClient(patientId);
        var item = await client.WaitForItemAsync("appointment", i => i["title"]!.GetValue<string>() == "Организация перенесла вашу запись");
        item["body"]!.GetValue<string>().ShouldStartWith(
            "Организация «ГБУЗ «Городская поликлиника № 3»» перенесла вашу запись на приём к врачу с 12 декабря 2026 г. в 09:20 " +
            "на 14 декабря 2026 г. в 10:40 (московское время). Причина: врач на курсах повышения квалификации. Врач: Терапевт");
        item["link"]!.GetValue<string>().ShouldBe($"/api/v1/appointments/{booked.AppointmentId}");
        // The booking's confirmation stays: the move is a new fact.
        (await client.FeedAsync()).Count(i => i["category"]!.GetValue<string>() == "appointment").ShouldBe(2);
    }

    [Fact]
    public async Task A_move_by_the_patient_gives_the_new_time()
    {
        var patientId = Guid.CreateVersion7();
        var moved = Booked(patientId) with { StartsAt = Fourteenth1040, PreviousStartsAt = Twelfth0920 };

        await app.Bus.Publish(moved);

        using var client = app.PatientClient(patientId);
        var item = await client.WaitForItemAsync("appointment");
        item["title"]!.GetValue<string>().ShouldBe("Запись перенесена");
        item["body"]!.GetValue<string>().ShouldStartWith(
            "Ваша запись перенесена на приём к врачу с 12 декабря 2026 г. в 09:20 на 14 декабря 2026 г. в 10:40 (московское время). Врач:");
    }

    [Fact]
    public async Task A_cancellation_by_the_organization_gives_its_reason()
    {
        var patientId = Guid.CreateVersion7();
        var appointmentId = Guid.CreateVersion7();

        await app.Bus.Publish(new AppointmentCancelled(appointmentId, patientId, Guid.CreateVersion7(), "Врач заболел",
            DateTimeOffset.UtcNow, "ГБУЗ «Городская поликлиника № 3»", "Иванова Мария Петровна", "Терапевт", Twelfth0920,
            AppointmentChangedBy.Organization));

        using var client = app.PatientClient(patientId);
        var item = await client.WaitForItemAsync("appointment");
        item["title"]!.GetValue<string>().ShouldBe("Организация отменила вашу запись");
        item["body"]!.GetValue<string>().ShouldBe("Организация «ГБУЗ «Городская поликлиника № 3»» отменила вашу запись к врачу " +
            "(Терапевт, Иванова Мария Петровна) на 12 декабря 2026 г. в 09:20. Причина: Врач заболел. " +
            "Вы можете записаться на другое время в приложении.");
        item["link"]!.GetValue<string>().ShouldBe($"/api/v1/appointments/{appointmentId}");
    }

    [Fact]
    public async Task A_cancellation_by_the_patient_is_confirmed()
    {
        var patientId = Guid.CreateVersion7();

        await app.Bus.Publish(new AppointmentCancelled(Guid.CreateVersion7(), patientId, Guid.CreateVersion7(), null,
            DateTimeOffset.UtcNow, "ГБУЗ «Городская поликлиника № 3»", "Иванова Мария Петровна", "Терапевт", Twelfth0920,
            AppointmentChangedBy.Patient));

        using var client = app.PatientClient(patientId);
        var item = await client.WaitForItemAsync("appointment");
        item["title"]!.GetValue<string>().ShouldBe("Запись отменена");
        item["body"]!.GetValue<string>().ShouldBe("Ваша запись к врачу (Терапевт, Иванова Мария Петровна) " +
            "в «ГБУЗ «Городская поликлиника № 3»» на 12 декабря 2026 г. в 09:20 отменена.");
    }

    [Fact]
    public async Task A_waitlist_offer_says_until_when_the_slot_is_held()
    {
        var patientId = Guid.CreateVersion7();
        var offer = new WaitlistSlotOffered(Guid.CreateVersion7(), Guid.CreateVersion7(), patientId, Guid.CreateVersion7(),
            Guid.CreateVersion7(), "ГБУЗ «Городская поликлиника № 3»", Guid.CreateVersion7(), "Иванова Мария Петровна",
            "Терапевт", Twelfth0920, false, new DateTimeOffset(2026, 12, 10, 15, 0, 0, TimeSpan.Zero), DateTimeOffset.UtcNow);

        await app.Bus.Publish(offer);

        using var client = app.PatientClient(patientId);
        var item = await client.WaitForItemAsync("appointment");
        item["title"]!.GetValue<string>().ShouldBe("Освободилось более раннее время");
        item["body"]!.GetValue<string>().ShouldBe("Для вас освободилось время приёма: 12 декабря 2026 г. в 09:20 (московское время), " +
            "врач: Терапевт, Иванова Мария Петровна, организация «ГБУЗ «Городская поликлиника № 3»». Время закреплено за вами " +
            "до 10 декабря 2026 г. в 18:00 — подтвердите запись в приложении, иначе оно перейдёт следующему в очереди.");
        item["link"]!.GetValue<string>().ShouldBe("/api/v1/appointments/offers");
    }

    [Fact]
    public async Task Attachment_and_detachment_are_told()
    {
        var patientId = Guid.CreateVersion7();

        await app.Bus.Publish(new PatientAttached(Guid.CreateVersion7(), patientId, Guid.CreateVersion7(),
            "ГБУЗ «Городская поликлиника № 3»", new DateOnly(2026, 12, 1), DateTimeOffset.UtcNow));
        await app.Bus.Publish(new PatientDetached(Guid.CreateVersion7(), patientId, Guid.CreateVersion7(),
            new DateOnly(2026, 11, 30), DateTimeOffset.UtcNow, "ГБУЗ «Городская поликлиника № 2»"));

        using var client = app.PatientClient(patientId);
        var attached = await client.WaitForItemAsync("attachment", i => i["title"]!.GetValue<string>() == "Вы прикреплены к поликлинике");
        attached["body"]!.GetValue<string>().ShouldBe(
            "С 1 декабря 2026 г. вы прикреплены к организации «ГБУЗ «Городская поликлиника № 3»». Записываться к врачам теперь можно туда.");
        attached["link"]!.GetValue<string>().ShouldBe("/api/v1/appointments/attachment");
        var detached = await client.WaitForItemAsync("attachment", i => i["title"]!.GetValue<string>() == "Прикрепление к поликлинике завершено");
        detached["body"]!.GetValue<string>().ShouldStartWith("Ваше прикрепление к организации «ГБУЗ «Городская поликлиника № 2»» завершено 30 ноября 2026 г. Если вы уже прикрепились");
    }

    [Fact]
    public async Task An_attachment_request_refused_gives_the_answer_and_an_approval_is_told()
    {
        var patientId = Guid.CreateVersion7();
        var requestId = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();

        await app.Bus.Publish(new AttachmentRequestStatusChanged(requestId, patientId, organizationId,
            "ГБУЗ «Городская поликлиника № 3»", AttachmentRequestStatuses.Refused, "Адрес вне зоны обслуживания",
            DateTimeOffset.UtcNow));
        var approvedId = Guid.CreateVersion7();
        await app.Bus.Publish(new AttachmentRequestStatusChanged(approvedId, patientId, organizationId,
            "ГБУЗ «Городская поликлиника № 3»", AttachmentRequestStatuses.Approved, null, DateTimeOffset.UtcNow));

        using var client = app.PatientClient(patientId);
        var refused = await client.WaitForItemAsync("attachment", i => i["title"]!.GetValue<string>() == "Отказ в прикреплении");
        refused["body"]!.GetValue<string>().ShouldBe("Организация «ГБУЗ «Городская поликлиника № 3»» отказала в прикреплении. " +
            "Ответ организации: Адрес вне зоны обслуживания");
        refused["link"]!.GetValue<string>().ShouldBe($"/api/v1/appointments/attachment-requests/{requestId}");
        var approved = await client.WaitForItemAsync("attachment", i => i["title"]!.GetValue<string>() == "Заявление о прикреплении одобрено");
        approved["link"]!.GetValue<string>().ShouldBe($"/api/v1/appointments/attachment-requests/{approvedId}");
    }

    [Fact]
    public async Task A_due_vaccination_is_told_once()
    {
        var patientId = Guid.CreateVersion7();
        var due = new VaccinationDue(patientId, "Грипп", null, new DateOnly(2027, 1, 15), DateTimeOffset.UtcNow);
        var first = Guid.CreateVersion7();
        var second = Guid.CreateVersion7();

        await app.Bus.Publish(due, c => c.MessageId = first);
        await app.Bus.Publish(due with { OccurredAt = DateTimeOffset.UtcNow }, c => c.MessageId = second);
        await app.Consumed.WaitForAsync(first, 1);
        await app.Consumed.WaitForAsync(second, 1);

        using var client = app.PatientClient(patientId);
        var item = await client.WaitForItemAsync("vaccination_due");
        item["title"]!.GetValue<string>().ShouldBe("Пора сделать прививку");
        item["body"]!.GetValue<string>().ShouldBe(
            "Пора сделать прививку: Грипп. Рекомендуемый срок — 15 января 2027 г. Запишитесь на вакцинацию в свою поликлинику.");
        (await client.FeedAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Nobody_else_sees_the_patients_appointment_notices()
    {
        var patientId = Guid.CreateVersion7();
        var id = Guid.CreateVersion7();
        await app.Bus.Publish(Booked(patientId), c => c.MessageId = id);
        await app.Consumed.WaitForAsync(id, 2); // the confirmation's and the reminders' consumers

        using var owner = app.PatientClient(patientId);
        await owner.WaitForItemAsync("appointment");
        using var stranger = app.PatientClient(Guid.CreateVersion7());
        (await stranger.FeedAsync()).ShouldBeEmpty();
    }
}
