using System.Globalization;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.Contracts.Immunizations;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.Notifications.Events;

namespace Gosuslugi.Health.Notifications.Tests;

public sealed class NotificationTextsTests
{
    /// <summary>12 December 2026, 09:20 in Moscow.</summary>
    internal static readonly DateTimeOffset Twelfth0920 = new(2026, 12, 12, 6, 20, 0, TimeSpan.Zero);

    internal static AppointmentBooked Booked(Guid patientId, bool telemedicine = false) => new(
        Guid.CreateVersion7(), patientId, Guid.CreateVersion7(), "ГБУЗ «Городская поликлиника № 3»",
        Guid.CreateVersion7(), "Иванова Мария Петровна", "Врач-психиатр", Twelfth0920, telemedicine,
        DateTimeOffset.UtcNow, Twelfth0920.AddMinutes(20),
        telemedicine ? null : "Москва, ул. Ленина, 1, каб. 12",
        telemedicine ? "https://video.example.org/room/secret-42" : null,
        ChangedBy: AppointmentChangedBy.Patient);

    private static void InCulture(string culture, Action action)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo(culture);
        try { action(); }
        finally { CultureInfo.CurrentCulture = previous; }
    }

    [Fact]
    public void Date_and_time_are_Moscow_time_in_Russian_whatever_the_culture()
    {
        InCulture("en-US", () =>
        {
            NotificationTexts.DateAndTimeLong(Twelfth0920).ShouldBe("12 декабря 2026 г. в 09:20");
            NotificationTexts.DateAndTimeLong(new DateTimeOffset(2026, 12, 12, 9, 20, 0, TimeSpan.FromHours(3)))
                .ShouldBe("12 декабря 2026 г. в 09:20");
            NotificationTexts.LongDate(new DateOnly(2027, 3, 1)).ShouldBe("1 марта 2027 г.");
            NotificationTexts.Time(Twelfth0920).ShouldBe("09:20");
        });
    }

    [Fact]
    public void A_late_evening_in_UTC_is_the_next_day_in_Moscow()
    {
        NotificationTexts.DateAndTimeLong(new DateTimeOffset(2026, 12, 31, 22, 30, 0, TimeSpan.Zero))
            .ShouldBe("1 января 2027 г. в 01:30");
    }

    [Fact]
    public void A_booking_names_doctor_and_place_in_the_feed_and_only_the_time_by_SMS()
    {
        var text = NotificationTexts.AppointmentBooked(Booked(Guid.CreateVersion7()));

        text.Title.ShouldBe("Вы записаны на приём");
        text.Body.ShouldBe("Вы записаны на приём к врачу 12 декабря 2026 г. в 09:20 (московское время). " +
            "Врач: Врач-психиатр, Иванова Мария Петровна. Организация «ГБУЗ «Городская поликлиника № 3»». " +
            "Адрес: Москва, ул. Ленина, 1, каб. 12.");
        text.PrivateSummary.ShouldBe(
            "Вы записаны на приём к врачу 12 декабря 2026 г. в 09:20 (мск). Подробности — в личном кабинете «Моё здоровье».");
    }

    [Fact]
    public void Telemedicine_never_carries_the_join_link()
    {
        var booked = Booked(Guid.CreateVersion7(), telemedicine: true);
        var texts = new[]
        {
            NotificationTexts.AppointmentBooked(booked),
            NotificationTexts.AppointmentBooked(booked with { PreviousStartsAt = Twelfth0920.AddDays(-1) }),
            NotificationTexts.AppointmentReminder(booked, ReminderKinds.DayBefore),
            NotificationTexts.AppointmentReminder(booked, ReminderKinds.TwoHoursBefore),
        };

        foreach (var text in texts)
        {
            text.Body.ShouldContain("онлайн");
            text.PrivateSummary.ShouldContain("онлайн-консультац");
            foreach (var part in new[] { text.Title, text.Body, text.PrivateSummary })
            {
                part.ShouldNotContain("https://");
                part.ShouldNotContain("secret-42");
            }
        }
    }

    [Fact]
    public void Private_summaries_name_no_doctor_specialty_or_organization()
    {
        var booked = Booked(Guid.CreateVersion7());
        var texts = new[]
        {
            NotificationTexts.AppointmentBooked(booked),
            NotificationTexts.AppointmentBooked(booked with
            {
                PreviousStartsAt = Twelfth0920.AddDays(-1), ChangedBy = AppointmentChangedBy.Organization, Reason = "Врач на больничном",
            }),
            NotificationTexts.AppointmentCancelled(new AppointmentCancelled(booked.AppointmentId, booked.PatientId,
                booked.OrganizationId, "Врач на больничном", DateTimeOffset.UtcNow, booked.OrganizationName, booked.DoctorName,
                booked.Specialty, booked.StartsAt, AppointmentChangedBy.Organization)),
            NotificationTexts.AppointmentReminder(booked, ReminderKinds.DayBefore),
            NotificationTexts.AppointmentReminder(booked, ReminderKinds.TwoHoursBefore),
            NotificationTexts.WaitlistSlotOffered(new WaitlistSlotOffered(Guid.CreateVersion7(), Guid.CreateVersion7(),
                booked.PatientId, Guid.CreateVersion7(), booked.OrganizationId, booked.OrganizationName, booked.DoctorId,
                booked.DoctorName, booked.Specialty, booked.StartsAt, false, booked.StartsAt.AddDays(-1), DateTimeOffset.UtcNow)),
        };

        foreach (var text in texts)
        {
            text.PrivateSummary.ShouldNotContain("психиатр", Case.Insensitive);
            text.PrivateSummary.ShouldNotContain("Иванова");
            text.PrivateSummary.ShouldNotContain("поликлиника № 3");
            text.PrivateSummary.ShouldNotContain("больничном");
        }
    }

    [Fact]
    public void Reminders_say_tomorrow_or_in_two_hours()
    {
        var booked = Booked(Guid.CreateVersion7());

        var dayBefore = NotificationTexts.AppointmentReminder(booked, ReminderKinds.DayBefore);
        dayBefore.Title.ShouldBe("Напоминание: приём завтра");
        dayBefore.Body.ShouldStartWith("Напоминаем: завтра, 12 декабря 2026 г. в 09:20 (московское время), приём у врача. " +
            "Врач: Врач-психиатр, Иванова Мария Петровна.");
        dayBefore.PrivateSummary.ShouldStartWith("Напоминаем: завтра, 12 декабря 2026 г. в 09:20 (мск), у вас приём у врача.");

        var twoHours = NotificationTexts.AppointmentReminder(booked, ReminderKinds.TwoHoursBefore);
        twoHours.Title.ShouldBe("Напоминание: приём через 2 часа");
        twoHours.Body.ShouldStartWith("Напоминаем: через 2 часа, в 09:20 (московское время), приём у врача.");
        twoHours.PrivateSummary.ShouldStartWith("Напоминаем: через 2 часа, в 09:20 (мск), у вас приём у врача.");
    }

    [Fact]
    public void A_due_vaccination_names_the_disease_only_in_the_feed()
    {
        var text = NotificationTexts.VaccinationDue(new VaccinationDue(Guid.CreateVersion7(), "Корь, краснуха, паротит",
            "Вактривир", new DateOnly(2027, 1, 15), DateTimeOffset.UtcNow));

        text.Title.ShouldBe("Пора сделать прививку");
        text.Body.ShouldBe("Пора сделать прививку: Корь, краснуха, паротит, вакцина «Вактривир». " +
            "Рекомендуемый срок — 15 января 2027 г. Запишитесь на вакцинацию в свою поликлинику.");
        text.PrivateSummary.ShouldNotContain("Корь");
    }

    [Fact]
    public void A_recorded_vaccination_keeps_its_text_and_gains_a_private_summary()
    {
        var text = NotificationTexts.ImmunizationRecorded(new ImmunizationRecorded(Guid.CreateVersion7(), Guid.CreateVersion7(),
            Guid.CreateVersion7(), "ГБУЗ «Городская поликлиника № 3»", "GAM-COVID-VAC", "Гам-КОВИД-Вак", "COVID-19", 2,
            new DateOnly(2023, 12, 1), DateTimeOffset.UtcNow));

        text.Body.ShouldEndWith("(COVID-19), 01.12.2023.");
        text.PrivateSummary.ShouldNotContain("COVID");
    }
}
