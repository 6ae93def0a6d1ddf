using System.Buffers.Text;
using System.Security.Cryptography;
using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Appointments.Waitlist;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gosuslugi.Health.Appointments.Booking;

/// <summary>Who books, moves or cancels: a person (patient or representative) or an organization's client.</summary>
/// <param name="Id">The person's id or the organization client's id, as the history records it.</param>
/// <param name="Role">"patient", "representative" or "organization".</param>
public sealed record BookingActor(string Id, string Role)
{
    public const string PatientRole = "patient";
    public const string RepresentativeRole = "representative";
    public const string OrganizationRole = "organization";

    public bool IsOrganization => Role == OrganizationRole;

    /// <summary>What the events say: a representative acts as the patient would.</summary>
    public string ChangedBy => IsOrganization ? AppointmentChangedBy.Organization : AppointmentChangedBy.Patient;
}

public enum BookingOutcome
{
    Done,
    SlotNotFound,
    SlotTaken,
    SlotInPast,
    AppointmentNotFound,
    NotChangeable,
    AccountNotConfirmed,
    NoOmsPolicy,
    OmsPolicyNotValid,
}

public sealed record BookingResult(BookingOutcome Outcome, Appointment? Appointment = null);

/// <summary>
/// Booking, moving and cancelling, for the patient's endpoints, the organization's and the waitlist. Each method saves
/// every change tracked by the context (so a caller may add its own, e.g. an accepted offer, to the same transaction);
/// on any outcome but <see cref="BookingOutcome.Done"/> it saves nothing and clears the tracker.
/// </summary>
/// <remarks>
/// A slot is never booked twice: the partial unique index <see cref="BookedSlotIndex"/> admits one live appointment per
/// slot, and the loser of a race (any number of instances) gets its unique violation, answered as a taken slot. The
/// slot's row is locked FOR SHARE while it is checked and taken, so that the organization closing it or the waitlist
/// holding it waits for the booking (or the booking for them), while concurrent bookings of the slot do not queue behind
/// one another: they all wait only for the winner's commit and then fail together.
/// </remarks>
public sealed class AppointmentBooking(AppointmentsDb db, TimeProvider time, ILogger<AppointmentBooking> logger)
{
    public const string BookedSlotIndex = "ux_appointments_booked_slot";
    public const string TelemedicineRoomBase = "https://telemed.gosuslugi.health/room/";
    public const int ReasonLength = 1000;
    public const int ByLength = 100;

    private const string BookingSavepoint = "appointment_booking";

    private readonly AppointmentsDb _db = db;
    private readonly TimeProvider _time = time;
    private readonly ILogger<AppointmentBooking> _logger = logger;

    /// <param name="offerId">The waitlist offer that holds the slot for this patient, when booking through one.</param>
    public async Task<BookingResult> BookAsync(Guid patientId, Guid slotId, BookingActor actor, Guid? offerId, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        return await InTransactionAsync(async () =>
        {
            var slot = await LockSlotAsync(slotId, ct);
            if (slot is null)
            {
                return Fail(BookingOutcome.SlotNotFound);
            }

            if (slot.StartsAt <= now)
            {
                return Fail(BookingOutcome.SlotInPast);
            }

            if (await CheckPatientAsync(patientId, slot, ct) is { } refused)
            {
                return Fail(refused);
            }

            if (!await IsFreeForAsync(slot, patientId, offerId, now, ct))
            {
                return Fail(BookingOutcome.SlotTaken);
            }

            var details = await DetailsAsync(slot, ct);
            var appointment = new Appointment
            {
                Id = Guid.CreateVersion7(now),
                PatientId = patientId,
                SlotId = slot.Id,
                OrganizationId = slot.OrganizationId,
                DoctorId = slot.DoctorId,
                StartsAt = slot.StartsAt,
                EndsAt = slot.EndsAt,
                Telemedicine = slot.Telemedicine,
                JoinUrl = slot.Telemedicine ? NewJoinUrl() : null,
                Status = AppointmentStatuses.Booked,
                BookedBy = Guid.TryParse(actor.Id, out var bookedBy) ? bookedBy : patientId,
                BookedAt = now,
                UpdatedAt = now,
            };
            if (!await TryInsertAsync(appointment, ct))
            {
                return Fail(BookingOutcome.SlotTaken);
            }

            // Stored already: tracked as it is, with its history and events added alongside.
            _db.Appointments.Attach(appointment);
            _db.AppointmentChanges.Add(NewChange(appointment.Id, "booked", now, actor, null, null, null, slot.Id, slot.StartsAt));
            _db.AddOutboxEvent(Booked(appointment, slot, details, now, actor, previousStartsAt: null, reason: null));

            if (!await SaveAsync(ct))
            {
                return Fail(BookingOutcome.SlotTaken);
            }

            _logger.LogInformation("Appointment {AppointmentId} booked on slot {SlotId}", appointment.Id, slot.Id);
            return new BookingResult(BookingOutcome.Done, appointment);
        }, BookingOutcome.SlotTaken, ct);
    }

    /// <param name="patientId">The patient whose appointment it must be; null for the organization (checked by the caller).</param>
    public async Task<BookingResult> MoveAsync(Guid appointmentId, Guid? patientId, Guid newSlotId, BookingActor actor, string? reason,
        Guid? offerId, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        return await InTransactionAsync(async () =>
        {
            var appointment = await FindAppointmentAsync(appointmentId, patientId, ct);
            if (appointment is null)
            {
                return Fail(BookingOutcome.AppointmentNotFound);
            }

            if (appointment.Status != AppointmentStatuses.Booked || appointment.StartsAt <= now)
            {
                return Fail(BookingOutcome.NotChangeable);
            }

            var slot = await LockSlotAsync(newSlotId, ct);
            // The appointment stays with its organization: another's slot is, for this appointment, no slot at all.
            if (slot is null || slot.OrganizationId != appointment.OrganizationId)
            {
                return Fail(BookingOutcome.SlotNotFound);
            }

            if (slot.StartsAt <= now)
            {
                return Fail(BookingOutcome.SlotInPast);
            }

            if (slot.Id == appointment.SlotId)
            {
                return Fail(BookingOutcome.SlotTaken);
            }

            // The organization moves its own appointments (a doctor's sick day) whatever the patient's papers say; the
            // patient's own move is a new booking for the new day and meets the booking rules.
            if (!actor.IsOrganization && await CheckPatientAsync(appointment.PatientId, slot, ct) is { } refused)
            {
                return Fail(refused);
            }

            if (!await IsFreeForAsync(slot, appointment.PatientId, offerId, now, ct))
            {
                return Fail(BookingOutcome.SlotTaken);
            }

            var oldSlot = await _db.Slots.FindAsync([appointment.SlotId], ct);
            var previousStartsAt = appointment.StartsAt;
            var details = await DetailsAsync(slot, ct);
            var change = NewChange(appointment.Id, "moved", now, actor, reason, appointment.SlotId, previousStartsAt, slot.Id,
                slot.StartsAt);
            _db.AppointmentChanges.Add(change);

            // Offered while the appointment still holds the old slot in the database, so that its own patient is not
            // offered the slot they are leaving.
            if (oldSlot is not null)
            {
                await WaitlistOffers.OfferFreedSlotAsync(_db, oldSlot, now, ct);
            }

            appointment.SlotId = slot.Id;
            appointment.DoctorId = slot.DoctorId;
            appointment.StartsAt = slot.StartsAt;
            appointment.EndsAt = slot.EndsAt;
            appointment.JoinUrl = slot.Telemedicine ? (appointment.Telemedicine ? appointment.JoinUrl : null) ?? NewJoinUrl() : null;
            appointment.Telemedicine = slot.Telemedicine;
            appointment.UpdatedAt = now;
            _db.AddOutboxEvent(Booked(appointment, slot, details, now, actor, previousStartsAt, reason));

            if (!await SaveAsync(ct))
            {
                return Fail(BookingOutcome.SlotTaken);
            }

            _logger.LogInformation("Appointment {AppointmentId} moved to slot {SlotId}", appointment.Id, slot.Id);
            return new BookingResult(BookingOutcome.Done, appointment);
        }, BookingOutcome.SlotTaken, ct);
    }

    public async Task<BookingResult> CancelAsync(Guid appointmentId, Guid? patientId, BookingActor actor, string? reason, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        return await InTransactionAsync(async () =>
        {
            var appointment = await FindAppointmentAsync(appointmentId, patientId, ct);
            if (appointment is null)
            {
                return Fail(BookingOutcome.AppointmentNotFound);
            }

            if (appointment.Status != AppointmentStatuses.Booked || appointment.StartsAt <= now)
            {
                return Fail(BookingOutcome.NotChangeable);
            }

            var slot = await _db.Slots.FindAsync([appointment.SlotId], ct);
            var details = slot is null ? null : await DetailsAsync(slot, ct);
            _db.AppointmentChanges.Add(NewChange(appointment.Id, "cancelled", now, actor, reason, appointment.SlotId,
                appointment.StartsAt, null, null));

            // Before the cancellation is saved: the waitlist leaves out whoever holds the slot in the database.
            if (slot is not null)
            {
                await WaitlistOffers.OfferFreedSlotAsync(_db, slot, now, ct);
            }

            appointment.Status = AppointmentStatuses.Cancelled;
            appointment.CancelledAt = now;
            appointment.CancelledBy = actor.ChangedBy;
            appointment.CancelReason = reason;
            appointment.UpdatedAt = now;
            _db.AddOutboxEvent(new AppointmentCancelled(appointment.Id, appointment.PatientId, appointment.OrganizationId,
                reason, now, details?.Organization?.Name, details?.Doctor?.FullName,
                slot is null ? null : Specialties.NameOf(slot.SpecialtyCode), appointment.StartsAt, actor.ChangedBy));

            if (!await SaveAsync(ct))
            {
                return Fail(BookingOutcome.NotChangeable);
            }

            _logger.LogInformation("Appointment {AppointmentId} cancelled by {Role}", appointment.Id, actor.Role);
            return new BookingResult(BookingOutcome.Done, appointment);
        }, BookingOutcome.NotChangeable, ct);
    }

    /// <summary>Where to come: the department's address when it has its own, else the organization's, and the room.</summary>
    public static string? AddressOf(Slot slot, Organization? organization, Department? department)
    {
        if (slot.Telemedicine)
        {
            return null;
        }

        var address = department?.Address ?? organization?.Address;
        return slot.Room is { Length: > 0 } room
            ? address is null ? $"кабинет {room}" : $"{address}, кабинет {room}"
            : address;
    }

    private sealed record SlotDetails(Organization? Organization, Doctor? Doctor, Department? Department);

    private async Task<SlotDetails> DetailsAsync(Slot slot, CancellationToken ct)
    {
        var organization = await _db.Organizations.FindAsync([slot.OrganizationId], ct);
        var doctor = await _db.Doctors.FindAsync([slot.DoctorId], ct);
        var department = slot.DepartmentId is { } departmentId ? await _db.Departments.FindAsync([departmentId], ct) : null;
        return new SlotDetails(organization, doctor, department);
    }

    private static AppointmentBooked Booked(Appointment appointment, Slot slot, SlotDetails details, DateTimeOffset now,
        BookingActor actor, DateTimeOffset? previousStartsAt, string? reason) =>
        new(appointment.Id, appointment.PatientId, appointment.OrganizationId, details.Organization?.Name ?? "",
            appointment.DoctorId, details.Doctor?.FullName ?? "", Specialties.NameOf(slot.SpecialtyCode), appointment.StartsAt,
            appointment.Telemedicine, now, appointment.EndsAt, AddressOf(slot, details.Organization, details.Department),
            appointment.JoinUrl, previousStartsAt, actor.ChangedBy, reason);

    private static AppointmentChange NewChange(Guid appointmentId, string kind, DateTimeOffset now, BookingActor actor,
        string? reason, Guid? fromSlotId, DateTimeOffset? fromStartsAt, Guid? toSlotId, DateTimeOffset? toStartsAt) =>
        new()
        {
            Id = Guid.CreateVersion7(now),
            AppointmentId = appointmentId,
            Kind = kind,
            At = now,
            By = actor.Id.Length <= ByLength ? actor.Id : actor.Id[..ByLength],
            ByRole = actor.Role,
            Reason = reason,
            FromSlotId = fromSlotId,
            FromStartsAt = fromStartsAt,
            ToSlotId = toSlotId,
            ToStartsAt = toStartsAt,
        };

    /// <summary>An unguessable room: whoever holds the link joins the consultation.</summary>
    private static string NewJoinUrl() => TelemedicineRoomBase + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));

    private Task<Appointment?> FindAppointmentAsync(Guid appointmentId, Guid? patientId, CancellationToken ct) =>
        _db.Appointments
            .FromSql($"""SELECT * FROM appointments WHERE id = {appointmentId} FOR UPDATE""")
            .AsTracking()
            .Where(a => patientId == null || a.PatientId == patientId)
            .SingleOrDefaultAsync(ct);

    private Task<Slot?> LockSlotAsync(Guid slotId, CancellationToken ct) =>
        _db.Slots
            .FromSql($"""SELECT * FROM slots WHERE id = {slotId} FOR SHARE""")
            .AsTracking()
            .SingleOrDefaultAsync(ct);

    /// <summary>
    /// Inserts the new appointment unless the slot has a live one: ON CONFLICT on <see cref="BookedSlotIndex"/> waits for a
    /// concurrent booking of the slot to commit or roll back and then inserts nothing (or inserts), so that the hundreds
    /// of losers of a race for a popular slot find out without a failed statement each.
    /// </summary>
    private async Task<bool> TryInsertAsync(Appointment a, CancellationToken ct)
    {
        var joinUrl = new NpgsqlParameter("joinUrl", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)a.JoinUrl ?? DBNull.Value };
        var inserted = await _db.Database.ExecuteSqlAsync($"""
            INSERT INTO appointments (id, patient_id, slot_id, organization_id, doctor_id, starts_at, ends_at,
                                      telemedicine, join_url, status, booked_by, booked_at, updated_at)
            VALUES ({a.Id}, {a.PatientId}, {a.SlotId}, {a.OrganizationId}, {a.DoctorId}, {a.StartsAt}, {a.EndsAt},
                    {a.Telemedicine}, {joinUrl}, {a.Status}, {a.BookedBy}, {a.BookedAt}, {a.UpdatedAt})
            ON CONFLICT (slot_id) WHERE status = 'booked' DO NOTHING
            """, ct);
        return inserted == 1;
    }

    /// <summary>The booking rules about the patient, for the day of <paramref name="slot"/>; null when they are met.</summary>
    private async Task<BookingOutcome?> CheckPatientAsync(Guid patientId, Slot slot, CancellationToken ct)
    {
        var patient = await _db.KnownPatients.AsNoTracking().SingleOrDefaultAsync(p => p.PatientId == patientId, ct);
        if (patient?.AccountLevel != HealthClaims.AccountLevels.Confirmed)
        {
            return BookingOutcome.AccountNotConfirmed;
        }

        if (patient.OmsValidFrom is not { } validFrom)
        {
            return BookingOutcome.NoOmsPolicy;
        }

        var day = MoscowTime.DateOf(slot.StartsAt);
        return day < validFrom || patient.OmsValidTo < day ? BookingOutcome.OmsPolicyNotValid : null;
    }

    /// <summary>
    /// Not closed, no live appointment on it, and not held by an open waitlist offer for someone else: an offer for
    /// this patient (named or not) lets them have it.
    /// </summary>
    private async Task<bool> IsFreeForAsync(Slot slot, Guid patientId, Guid? offerId, DateTimeOffset now, CancellationToken ct)
    {
        if (slot.Closed)
        {
            return false;
        }

        if (slot.HeldForOfferId is { } heldFor && slot.HeldUntil > now && heldFor != offerId)
        {
            var holder = await _db.SlotOffers.AsNoTracking().SingleOrDefaultAsync(o => o.Id == heldFor, ct);
            // An accepted offer that still holds the slot is an acceptance being booked right now.
            if (holder is { Status: SlotOfferStatuses.Open or SlotOfferStatuses.Accepted } && holder.PatientId != patientId)
            {
                return false;
            }
        }

        return !await _db.Appointments.AnyAsync(a => a.SlotId == slot.Id && a.Status == AppointmentStatuses.Booked, ct);
    }

    /// <summary>Saves; false (and a clear tracker) when the slot turned out taken or the appointment changed meanwhile.</summary>
    private async Task<bool> SaveAsync(CancellationToken ct)
    {
        try
        {
            await _db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: BookedSlotIndex })
        {
            _logger.LogInformation("A concurrent booking took the slot first");
            _db.ChangeTracker.Clear();
            return false;
        }
        catch (DbUpdateConcurrencyException)
        {
            _logger.LogInformation("The appointment changed concurrently");
            _db.ChangeTracker.Clear();
            return false;
        }
    }

    private BookingResult Fail(BookingOutcome outcome)
    {
        _db.ChangeTracker.Clear();
        return new BookingResult(outcome);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction of its own, committed when it is done, or in the caller's when one is
    /// open (the caller commits). The row locks taken on the way last until the end of the transaction.
    /// </summary>
    private async Task<BookingResult> InTransactionAsync(Func<Task<BookingResult>> work, BookingOutcome onDeadlock,
        CancellationToken ct)
    {
        if (_db.Database.CurrentTransaction is { } outer)
        {
            // A savepoint of its own, so that a refusal leaves the caller's transaction as it was, statements outside
            // SaveChanges (the appointment's insert) included.
            await outer.CreateSavepointAsync(BookingSavepoint, ct);
            var outcome = await RunAsync(work, onDeadlock);
            if (outcome.Outcome == BookingOutcome.Done)
            {
                await outer.ReleaseSavepointAsync(BookingSavepoint, ct);
            }
            else
            {
                await outer.RollbackToSavepointAsync(BookingSavepoint, ct);
            }

            return outcome;
        }

        await using var transaction = await _db.Database.BeginTransactionAsync(ct);
        var result = await RunAsync(work, onDeadlock);
        if (result.Outcome == BookingOutcome.Done)
        {
            await transaction.CommitAsync(ct);
        }

        return result;
    }

    /// <summary>
    /// Changes crossing on the same slots (a booking and an accepted waitlist offer, a move freeing a slot another
    /// books) can deadlock; the database then picks one to lose, which for its caller is a lost race, not an error.
    /// </summary>
    private async Task<BookingResult> RunAsync(Func<Task<BookingResult>> work, BookingOutcome onDeadlock)
    {
        try
        {
            return await work();
        }
        catch (Exception e) when (IsDeadlock(e))
        {
            _logger.LogInformation("A concurrent change of the same slot won (deadlock resolved by the database)");
            return Fail(onDeadlock);
        }
    }

    private static bool IsDeadlock(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected })
            {
                return true;
            }
        }

        return false;
    }
}
