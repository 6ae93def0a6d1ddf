using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Appointments.ReferenceData;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Schedules;

/// <summary>A doctor's schedule as the organization publishes it: the slots patients may book.</summary>
public sealed class DoctorSchedules(AppointmentsDb db, TimeProvider time, ILogger<DoctorSchedules> logger)
{
    /// <summary>
    /// Makes the slots of <paramref name="request"/> for the doctor the organization knows as <paramref name="externalId"/>.
    /// Sent again, it makes none: a slot the doctor already has is not made twice.
    /// </summary>
    public async Task<ReferenceDataResult<ScheduleResponse>> PublishAsync(Guid organizationId, string externalId,
        ScheduleRequest request, CancellationToken ct)
    {
        if (ReferenceDataResult<ScheduleResponse>.InvalidExternalId(externalId) is { } badId)
        {
            return badId;
        }

        var errors = ScheduleRequestValidator.Validate(request, out var schedule);
        if (schedule is null)
        {
            return ReferenceDataResult<ScheduleResponse>.Invalid(errors);
        }

        var doctor = await db.Doctors.AsNoTracking()
            .SingleOrDefaultAsync(d => d.OrganizationId == organizationId && d.ExternalId == externalId, ct);
        if (doctor is null)
        {
            return new(ReferenceDataOutcome.DoctorNotFound);
        }

        if (!doctor.Active)
        {
            return new(ReferenceDataOutcome.DoctorInactive);
        }

        var now = time.GetUtcNow();
        var telemedicine = request.Telemedicine ?? false;
        // A video consultation happens in no room.
        var room = telemedicine || string.IsNullOrWhiteSpace(request.Room) ? null : request.Room.Trim();
        // Past times cannot be booked: they are neither made nor counted.
        var wanted = schedule.Slots().Where(s => s.StartsAt > now).ToList();
        if (wanted.Count == 0)
        {
            return new(ReferenceDataOutcome.Saved, new ScheduleResponse(0, 0));
        }

        for (var attempt = 0; ; attempt++)
        {
            var rangeFrom = wanted[0].StartsAt;
            var rangeTo = wanted[^1].EndsAt;
            // Served by the unique (DoctorId, StartsAt) index.
            var existing = await db.Slots.AsNoTracking()
                .Where(s => s.DoctorId == doctor.Id && s.StartsAt < rangeTo && s.StartsAt >= rangeFrom.AddMinutes(-SlotSchedule.MaxSlotMinutes))
                .Select(s => new { s.StartsAt, s.EndsAt })
                .ToListAsync(ct);

            var created = 0;
            foreach (var (startsAt, endsAt) in wanted)
            {
                // A slot the doctor already has, or one that would overlap another of theirs (an earlier schedule with
                // another slot length), is not made.
                if (existing.Any(e => e.StartsAt < endsAt && startsAt < e.EndsAt))
                {
                    continue;
                }

                db.Slots.Add(new Slot
                {
                    Id = Guid.CreateVersion7(),
                    OrganizationId = organizationId,
                    DoctorId = doctor.Id,
                    DepartmentId = doctor.DepartmentId,
                    SpecialtyCode = doctor.SpecialtyCode,
                    StartsAt = startsAt,
                    EndsAt = endsAt,
                    Telemedicine = telemedicine,
                    Room = room,
                    CreatedAt = now,
                });
                created++;
            }

            if (await db.TrySaveUpsertAsync(attempt, ct))
            {
                logger.LogInformation("Schedule of doctor {DoctorId}: {Created} slots created, {Existing} existed",
                    doctor.Id, created, wanted.Count - created);
                return new(ReferenceDataOutcome.Saved, new ScheduleResponse(created, wanted.Count - created));
            }
        }
    }
}
