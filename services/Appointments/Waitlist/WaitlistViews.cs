using Gosuslugi.Health.Appointments.Attachments;
using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Waitlist;

public sealed record WaitlistDoctor(Guid Id, string Name, string Specialty, string SpecialtyName)
{
    public static WaitlistDoctor From(Doctor d) => new(d.Id, d.FullName, d.SpecialtyCode, Specialties.NameOf(d.SpecialtyCode));
}

public sealed record WaitlistEntryResponse(
    Guid Id,
    AttachmentOrganization Organization,
    string Specialty,
    string SpecialtyName,
    WaitlistDoctor? Doctor,
    Guid? AppointmentId,
    DateTimeOffset WantedBefore,
    string Status,
    DateTimeOffset CreatedAt)
{
    public static WaitlistEntryResponse From(WaitlistEntry e, Organization? organization, Doctor? doctor) =>
        new(e.Id, AttachmentOrganization.From(e.OrganizationId, organization), e.SpecialtyCode, Specialties.NameOf(e.SpecialtyCode),
            doctor is null ? null : WaitlistDoctor.From(doctor), e.AppointmentId, e.WantedBefore, e.Status, e.CreatedAt);
}

public sealed record WaitlistEntryListResponse(IReadOnlyList<WaitlistEntryResponse> Items);

public sealed record SlotOfferSlot(Guid Id, DateTimeOffset StartsAt, DateTimeOffset EndsAt, bool Telemedicine, string? Room);

public sealed record SlotOfferResponse(
    Guid Id,
    Guid EntryId,
    string Status,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? AnsweredAt,
    SlotOfferSlot Slot,
    WaitlistDoctor? Doctor,
    AttachmentOrganization Organization);

public sealed record SlotOfferListResponse(IReadOnlyList<SlotOfferResponse> Items);

public sealed record AcceptedOfferAppointment(Guid Id, string Status, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    bool Telemedicine, string? JoinUrl);

public sealed record AcceptedOfferResponse(SlotOfferResponse Offer, AcceptedOfferAppointment Appointment);

/// <summary>Waitlist entries and slot offers as the patient reads them.</summary>
public static class WaitlistViews
{
    public static async Task<List<WaitlistEntryResponse>> DescribeAsync(AppointmentsDb db, IReadOnlyList<WaitlistEntry> entries,
        CancellationToken ct)
    {
        var organizationIds = entries.Select(e => e.OrganizationId).Distinct().ToList();
        var doctorIds = entries.Where(e => e.DoctorId != null).Select(e => e.DoctorId!.Value).Distinct().ToList();
        var organizations = await db.Organizations.AsNoTracking().Where(o => organizationIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        var doctors = await db.Doctors.AsNoTracking().Where(d => doctorIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
        return entries.Select(e => WaitlistEntryResponse.From(e,
            organizations.GetValueOrDefault(e.OrganizationId),
            e.DoctorId is { } d ? doctors.GetValueOrDefault(d) : null)).ToList();
    }

    /// <summary>An open offer whose time has passed shows as expired before the sweep gets to it.</summary>
    public static async Task<List<SlotOfferResponse>> DescribeAsync(AppointmentsDb db, IReadOnlyList<SlotOffer> offers,
        DateTimeOffset now, CancellationToken ct)
    {
        var slotIds = offers.Select(o => o.SlotId).Distinct().ToList();
        var slots = await db.Slots.AsNoTracking().Where(s => slotIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var doctorIds = slots.Values.Select(s => s.DoctorId).Distinct().ToList();
        var organizationIds = slots.Values.Select(s => s.OrganizationId).Distinct().ToList();
        var doctors = await db.Doctors.AsNoTracking().Where(d => doctorIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
        var organizations = await db.Organizations.AsNoTracking().Where(o => organizationIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        return offers.Where(o => slots.ContainsKey(o.SlotId)).Select(o =>
        {
            var slot = slots[o.SlotId];
            return new SlotOfferResponse(o.Id, o.EntryId, StatusSeen(o, now), o.ExpiresAt, o.CreatedAt, o.AnsweredAt,
                new SlotOfferSlot(slot.Id, slot.StartsAt, slot.EndsAt, slot.Telemedicine, slot.Room),
                doctors.TryGetValue(slot.DoctorId, out var doctor) ? WaitlistDoctor.From(doctor) : null,
                AttachmentOrganization.From(slot.OrganizationId, organizations.GetValueOrDefault(slot.OrganizationId)));
        }).ToList();
    }

    /// <summary>The offer's status as the patient sees it: an open one past its time is expired already.</summary>
    public static string StatusSeen(SlotOffer offer, DateTimeOffset now) =>
        offer.Status == SlotOfferStatuses.Open && offer.ExpiresAt <= now ? SlotOfferStatuses.Expired : offer.Status;
}
