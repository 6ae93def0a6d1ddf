using Gosuslugi.Health.Appointments.Domain;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Tests;

/// <summary>
/// Reference data inserted directly through the database, as an organization's published profile, doctor and schedule
/// would leave it: for tests of booking, attachment and the waitlist that need a doctor with free slots.
/// </summary>
public static class TestReferenceData
{
    public const string Therapist = "therapist";

    /// <summary>
    /// An organization (created unless <paramref name="organizationId"/> names one that exists), a doctor of
    /// <paramref name="specialty"/> and <paramref name="slots"/> consecutive 20-minute slots starting at
    /// <paramref name="firstStartsAt"/> (default: tomorrow, 09:00 Moscow time).
    /// </summary>
    public static async Task<(Guid OrganizationId, Guid DoctorId, IReadOnlyList<Guid> SlotIds)> AddDoctorWithSlotsAsync(
        this AppointmentsApp app, int slots = 5, bool telemedicine = false, string specialty = Therapist,
        Guid? organizationId = null, Guid? doctorAccountId = null, DateTimeOffset? firstStartsAt = null)
    {
        var orgId = organizationId ?? Guid.CreateVersion7();
        var doctorId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        var first = firstStartsAt ?? TomorrowAtMoscow(9, 0);
        var slotIds = new List<Guid>();

        await app.WithDbAsync(async db =>
        {
            if (!await db.Organizations.AnyAsync(o => o.Id == orgId))
            {
                db.Organizations.Add(new Organization
                {
                    Id = orgId,
                    Name = "ГБУЗ «Городская поликлиника № 1»",
                    Kind = OrganizationKinds.Polyclinic,
                    Address = "г. Москва, ул. Ленина, д. 1",
                    Phone = "+74951234567",
                    UpdatedAt = now,
                });
            }

            db.Doctors.Add(new Doctor
            {
                Id = doctorId,
                OrganizationId = orgId,
                ExternalId = $"doc-{doctorId:N}",
                FamilyName = "Петрова",
                GivenName = "Анна",
                MiddleName = "Сергеевна",
                SpecialtyCode = specialty,
                AccountId = doctorAccountId,
                UpdatedAt = now,
            });

            for (var i = 0; i < slots; i++)
            {
                var startsAt = first.AddMinutes(20 * i).ToUniversalTime();
                var slot = new Slot
                {
                    Id = Guid.CreateVersion7(),
                    OrganizationId = orgId,
                    DoctorId = doctorId,
                    SpecialtyCode = specialty,
                    StartsAt = startsAt,
                    EndsAt = startsAt.AddMinutes(20),
                    Telemedicine = telemedicine,
                    Room = telemedicine ? null : "101",
                    CreatedAt = now,
                };
                db.Slots.Add(slot);
                slotIds.Add(slot.Id);
            }

            await db.SaveChangesAsync();
        });

        return (orgId, doctorId, slotIds);
    }

    /// <summary>Tomorrow (Moscow date) at the given Moscow wall-clock time, as a UTC instant.</summary>
    public static DateTimeOffset TomorrowAtMoscow(int hour, int minute)
    {
        var moscowToday = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(3)).DateTime);
        return new DateTimeOffset(moscowToday.AddDays(1).ToDateTime(new TimeOnly(hour, minute)), TimeSpan.FromHours(3))
            .ToUniversalTime();
    }
}
