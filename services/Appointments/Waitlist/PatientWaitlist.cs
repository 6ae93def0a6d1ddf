using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Waitlist;

public sealed record JoinWaitlist(Guid? OrganizationId, string? Specialty, Guid? DoctorId, Guid? AppointmentId,
    DateTimeOffset? WantedBefore) : IJsonRequest<JoinWaitlist>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<JoinWaitlist>.FormatMessages => FieldFormats;

    private static readonly Dictionary<string, string> FieldFormats = new()
    {
        ["organizationId"] = "Идентификатор организации должен быть GUID.",
        ["doctorId"] = "Идентификатор врача должен быть GUID.",
        ["appointmentId"] = "Идентификатор записи должен быть GUID.",
        ["wantedBefore"] = "Время должно быть в формате ISO 8601 (например, 2026-12-10T09:00:00+03:00).",
        ["specialty"] = "Специальность должна быть строкой.",
    };
}

public enum WaitlistJoinOutcome
{
    Joined,

    /// <summary>The request names what does not exist or cannot be waited for: see the errors by field.</summary>
    Invalid,

    /// <summary>The patient already waits for the same doctor (or specialty) at the same organization.</summary>
    AlreadyWaiting,

    /// <summary><see cref="PatientWaitlist.MaxActiveEntries"/> live entries already.</summary>
    LimitReached,
}

public sealed record WaitlistJoinResult(WaitlistJoinOutcome Outcome, WaitlistEntryResponse? Entry = null,
    Dictionary<string, string[]>? Errors = null);

/// <summary>The patient's waitlist entries: join, see, leave.</summary>
public sealed class PatientWaitlist(AppointmentsDb db, PatientAccessLog access, TimeProvider time, ILogger<PatientWaitlist> logger)
{
    /// <summary>More than this many live entries is not waiting but hoarding.</summary>
    public const int MaxActiveEntries = 10;

    public const string ReadPurpose = "просмотр листа ожидания";
    public const string ChangePurpose = "лист ожидания записи к врачу";

    public static readonly IReadOnlyList<string> EntryStatuses =
    [
        WaitlistStatuses.Waiting, WaitlistStatuses.Offered, WaitlistStatuses.Fulfilled, WaitlistStatuses.Cancelled,
        WaitlistStatuses.Expired,
    ];

    /// <param name="createdBy">The acting person: the patient or their representative.</param>
    public async Task<WaitlistJoinResult> JoinAsync(Guid patientId, JoinWaitlist join, string createdBy, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var specialty = join.Specialty?.Trim();
        if (string.IsNullOrEmpty(specialty) || !Specialties.Names.ContainsKey(specialty))
        {
            errors["specialty"] = ["Выберите специальность врача из справочника."];
        }

        if (join.WantedBefore is not { } wantedBefore)
        {
            errors["wantedBefore"] = ["Укажите, до какого времени вы хотите попасть к врачу."];
        }
        else if (wantedBefore <= now)
        {
            errors["wantedBefore"] = ["Время должно быть в будущем."];
        }

        Organization? organization = null;
        if (join.OrganizationId is not { } organizationId)
        {
            errors["organizationId"] = ["Выберите медицинскую организацию."];
        }
        else if ((organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct)) is null)
        {
            errors["organizationId"] = ["Такая медицинская организация не найдена."];
        }

        Doctor? doctor = null;
        if (join.DoctorId is { } doctorId && organization is not null)
        {
            doctor = await db.Doctors.AsNoTracking()
                .SingleOrDefaultAsync(d => d.Id == doctorId && d.OrganizationId == organization.Id && d.Active, ct);
            if (doctor is null || doctor.SpecialtyCode != specialty)
            {
                errors["doctorId"] = ["Такой врач этой специальности в выбранной организации не найден."];
            }
        }

        if (join.AppointmentId is { } appointmentId
            && !await db.Appointments.AnyAsync(a => a.Id == appointmentId && a.PatientId == patientId
                                                    && a.Status == AppointmentStatuses.Booked && a.StartsAt > now, ct))
        {
            // The same answer for someone else's appointment as for a missing one.
            errors["appointmentId"] = ["Предстоящая запись, которую вы хотите перенести, не найдена."];
        }

        if (errors.Count > 0)
        {
            return new WaitlistJoinResult(WaitlistJoinOutcome.Invalid, Errors: errors);
        }

        var entry = new WaitlistEntry
        {
            Id = Guid.CreateVersion7(),
            PatientId = patientId,
            OrganizationId = organization!.Id,
            DoctorId = doctor?.Id,
            SpecialtyCode = specialty!,
            AppointmentId = join.AppointmentId,
            WantedBefore = join.WantedBefore!.Value.ToUniversalTime(),
            Status = WaitlistStatuses.Waiting,
            CreatedAt = now,
            CreatedBy = createdBy,
            UpdatedAt = now,
        };

        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            // The patient's joins take turns, so that the checks below hold however many instances answer.
            await db.LockPatientAsync(patientId, ct);
            var active = await db.WaitlistEntries.AsNoTracking()
                .Where(e => e.PatientId == patientId
                            && (e.Status == WaitlistStatuses.Waiting || e.Status == WaitlistStatuses.Offered))
                .ToListAsync(ct);
            if (active.Any(e => e.OrganizationId == entry.OrganizationId && e.SpecialtyCode == entry.SpecialtyCode
                                && e.DoctorId == entry.DoctorId))
            {
                return new WaitlistJoinResult(WaitlistJoinOutcome.AlreadyWaiting);
            }

            if (active.Count >= MaxActiveEntries)
            {
                return new WaitlistJoinResult(WaitlistJoinOutcome.LimitReached);
            }

            db.WaitlistEntries.Add(entry);
            access.Add(patientId, AccessActions.Create, ChangePurpose, entry.Id);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        logger.LogInformation("Waitlist entry {EntryId} added for organization {OrganizationId}", entry.Id, entry.OrganizationId);
        return new WaitlistJoinResult(WaitlistJoinOutcome.Joined, WaitlistEntryResponse.From(entry, organization, doctor));
    }

    /// <summary>Newest first; <paramref name="status"/> filters.</summary>
    public async Task<List<WaitlistEntryResponse>> ListAsync(Guid patientId, string? status, CancellationToken ct)
    {
        var query = db.WaitlistEntries.AsNoTracking().Where(e => e.PatientId == patientId);
        if (status is not null)
        {
            query = query.Where(e => e.Status == status);
        }

        var entries = await query.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Take(200).ToListAsync(ct);
        var items = await WaitlistViews.DescribeAsync(db, entries, ct);
        await access.LogAsync(patientId, AccessActions.Read, ReadPurpose, null, ct);
        return items;
    }

    /// <summary>Leaves the waitlist; an offer the entry holds passes to the next patient. Sent again, it changes nothing.</summary>
    /// <returns>False when the patient has no such entry.</returns>
    public async Task<bool> LeaveAsync(Guid patientId, Guid id, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var entry = await db.WaitlistEntries
            .FromSql($"""SELECT * FROM waitlist_entries WHERE id = {id} AND patient_id = {patientId} FOR UPDATE""")
            .AsTracking()
            .SingleOrDefaultAsync(ct);
        if (entry is null)
        {
            return false;
        }

        if (entry.Status is WaitlistStatuses.Waiting or WaitlistStatuses.Offered)
        {
            var now = time.GetUtcNow();
            var offers = await db.SlotOffers
                .FromSql($"""SELECT * FROM slot_offers WHERE entry_id = {entry.Id} AND status = 'open' FOR UPDATE""")
                .AsTracking()
                .ToListAsync(ct);
            foreach (var offer in offers)
            {
                await WaitlistOffers.CloseOfferAsync(db, offer, entry, SlotOfferStatuses.Declined, WaitlistStatuses.Cancelled, now, ct);
            }

            entry.Status = WaitlistStatuses.Cancelled;
            entry.UpdatedAt = now;
            access.Add(patientId, AccessActions.Change, ChangePurpose, entry.Id);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            logger.LogInformation("Waitlist entry {EntryId} cancelled by the patient", entry.Id);
        }

        return true;
    }
}
