using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Schedules;

public sealed record SlotDoctor(Guid Id, string Name, string Specialty, string SpecialtyName);

public sealed record SlotOrganization(Guid Id, string Name, string Address, string Phone);

public sealed record SlotDepartment(Guid Id, string Name);

public sealed record SlotResponse(Guid Id, DateTimeOffset StartsAt, DateTimeOffset EndsAt, bool Telemedicine, string? Room,
    SlotDoctor Doctor, SlotOrganization Organization, SlotDepartment? Department);

/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; null on the last one.</param>
public sealed record SlotSearchResponse(IReadOnlyList<SlotResponse> Items, string? NextCursor);

/// <summary>Free slots a patient may book, earliest first, a page at a time.</summary>
public sealed class SlotSearch(AppointmentsDb db, TimeProvider time)
{
    /// <summary>
    /// Free future slots: no booked appointment on them, not closed by the organization, not held by a waitlist offer
    /// for another patient (the patient the offer is for does see it), of an active doctor. Ordered by (startsAt, id),
    /// paged by a keyset cursor so that a page never repeats or skips a slot while others book.
    /// </summary>
    public async Task<SlotSearchResponse> SearchAsync(Guid patientId, SlotSearchFilter filter, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var startsAfter = filter.From is { } f && f > now ? f : now;

        var slots = db.Slots.AsNoTracking().Where(s => !s.Closed && s.StartsAt >= startsAfter && s.StartsAt > now);
        if (filter.Specialty is { } specialty)
        {
            slots = slots.Where(s => s.SpecialtyCode == specialty);
        }

        if (filter.DoctorId is { } doctorId)
        {
            slots = slots.Where(s => s.DoctorId == doctorId);
        }

        if (filter.OrganizationId is { } organizationId)
        {
            slots = slots.Where(s => s.OrganizationId == organizationId);
        }

        if (filter.To is { } until)
        {
            slots = slots.Where(s => s.StartsAt < until);
        }

        if (filter.Telemedicine is { } telemedicine)
        {
            slots = slots.Where(s => s.Telemedicine == telemedicine);
        }

        if (filter.After is { } after)
        {
            // A row comparison, so that PostgreSQL orders and compares the uuids alike; the plain bound on StartsAt lets
            // the (…, StartsAt) indexes start the scan at the cursor.
            slots = slots.Where(s => s.StartsAt >= after.StartsAt
                                     && EF.Functions.GreaterThan(ValueTuple.Create(s.StartsAt, s.Id), ValueTuple.Create(after.StartsAt, after.Id)));
        }

        // Taken: a booked appointment (the partial unique index ux_appointments_booked_slot answers it per slot).
        slots = slots.Where(s => !db.Appointments.Any(a => a.SlotId == s.Id && a.Status == AppointmentStatuses.Booked));
        // Held for someone else by a waitlist offer still open.
        slots = slots.Where(s => !db.SlotOffers.Any(o => o.SlotId == s.Id && o.Status == SlotOfferStatuses.Open
                                                         && o.ExpiresAt > now && o.PatientId != patientId));
        slots = slots.Where(s => s.HeldForOfferId == null || s.HeldUntil == null || s.HeldUntil <= now
                                 || db.SlotOffers.Any(o => o.Id == s.HeldForOfferId && o.PatientId == patientId));

        var limit = filter.Limit;
        var page = await (
                from s in slots
                join d in db.Doctors on s.DoctorId equals d.Id
                join o in db.Organizations on s.OrganizationId equals o.Id
                join dep in db.Departments on s.DepartmentId equals (Guid?)dep.Id into departments
                from dep in departments.DefaultIfEmpty()
                where d.Active
                orderby s.StartsAt, s.Id
                select new
                {
                    Slot = s,
                    Doctor = new { d.Id, d.FamilyName, d.GivenName, d.MiddleName },
                    Organization = new SlotOrganization(o.Id, o.Name, o.Address, o.Phone),
                    Department = dep == null ? null : new SlotDepartment(dep.Id, dep.Name),
                })
            .Take(limit + 1)
            .ToListAsync(ct);

        var items = page.Take(limit).Select(r => new SlotResponse(r.Slot.Id, r.Slot.StartsAt, r.Slot.EndsAt, r.Slot.Telemedicine,
                r.Slot.Room,
                new SlotDoctor(r.Doctor.Id, FullName(r.Doctor.FamilyName, r.Doctor.GivenName, r.Doctor.MiddleName),
                    r.Slot.SpecialtyCode, Specialties.NameOf(r.Slot.SpecialtyCode)),
                r.Organization, r.Department))
            .ToList();
        var nextCursor = page.Count > limit ? new SlotCursor(items[^1].StartsAt, items[^1].Id).ToString() : null;
        return new SlotSearchResponse(items, nextCursor);
    }

    private static string FullName(string familyName, string givenName, string? middleName) =>
        string.Join(' ', new[] { familyName, givenName, middleName }.Where(p => !string.IsNullOrWhiteSpace(p)));
}
