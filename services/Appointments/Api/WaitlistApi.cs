using System.Security.Claims;
using Gosuslugi.Health.Appointments.Booking;
using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Appointments.Waitlist;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Api;

public sealed record WaitlistServices(AppointmentsDb Db, TimeProvider Time, ILogger<WaitlistServices> Logger);

public sealed record JoinWaitlist(Guid? OrganizationId, string? Specialty, Guid? DoctorId, Guid? AppointmentId,
    DateTimeOffset? WantedBefore) : IJsonRequest<JoinWaitlist>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<JoinWaitlist>.FormatMessages => WaitlistApi.FormatMessages;
}

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

/// <summary>
/// The patient's waitlist: they wait for an earlier slot, and a freed one is offered to the first of them for a while
/// (<see cref="WaitlistOffers.OfferHoldTime"/>): accepting books it (or moves their appointment to it), declining passes it on.
/// </summary>
public static class WaitlistApi
{
    public const string Route = "/api/v1/appointments";

    /// <summary>More than this many live entries is not waiting but hoarding.</summary>
    public const int MaxActiveEntries = 10;

    private const string ReadPurpose = "просмотр листа ожидания";
    private const string ChangePurpose = "лист ожидания записи к врачу";

    public static RouteGroupBuilder MapWaitlistApi(this IEndpointRouteBuilder app)
    {
        // Authenticated here; who may act for the patient (the token's sub) is checked by CanManageAppointments.
        var api = app.MapGroup(Route).WithTags("Waitlist").RequireAuthorization();

        api.MapPost("/waitlist", JoinWaitlist).Accepts<JoinWaitlist>("application/json").WithName(nameof(JoinWaitlist));
        api.MapGet("/waitlist", ListMyWaitlistEntries).WithName(nameof(ListMyWaitlistEntries));
        api.MapDelete("/waitlist/{id:guid}", LeaveWaitlist).WithName(nameof(LeaveWaitlist));
        api.MapGet("/offers", ListMySlotOffers).WithName(nameof(ListMySlotOffers));
        api.MapPost("/offers/{id:guid}/accept", AcceptSlotOffer).WithName(nameof(AcceptSlotOffer));
        api.MapPost("/offers/{id:guid}/decline", DeclineSlotOffer).WithName(nameof(DeclineSlotOffer));

        return api;
    }

    public static async Task<Results<Created<WaitlistEntryResponse>, ValidationProblem, ProblemHttpResult>> JoinWaitlist(
        HttpContext http, Json<JoinWaitlist> body, ClaimsPrincipal user, [AsParameters] WaitlistServices services, CancellationToken ct)
    {
        var db = services.Db;
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await AttachmentApi.RefusedAsync(db, http, patientId, AccessActions.Create, ChangePurpose, null, ct);
        }

        var join = body.Value;

        var now = services.Time.GetUtcNow();
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
            return Problems.Validation(errors);
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
            CreatedBy = user.ActorId().ToString(),
            UpdatedAt = now,
        };

        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            // The patient's joins take turns, so that the checks below hold however many instances answer.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AttachmentApi.AdvisoryKey(patientId)})", ct);
            var active = await db.WaitlistEntries.AsNoTracking()
                .Where(e => e.PatientId == patientId
                            && (e.Status == WaitlistStatuses.Waiting || e.Status == WaitlistStatuses.Offered))
                .ToListAsync(ct);
            if (active.Any(e => e.OrganizationId == entry.OrganizationId && e.SpecialtyCode == entry.SpecialtyCode
                                && e.DoctorId == entry.DoctorId))
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Вы уже в листе ожидания",
                    detail: "Вы уже ждёте более раннюю запись к этому врачу (или специалисту) в этой организации.",
                    extensions: new Dictionary<string, object?> { ["reason"] = "already_waiting" });
            }

            if (active.Count >= MaxActiveEntries)
            {
                return AttachmentApi.BusinessRule("waitlist_limit",
                    $"В листе ожидания может быть не больше {MaxActiveEntries} заявок. Отмените ненужные.");
            }

            db.WaitlistEntries.Add(entry);
            db.AddAccessEvent(http, patientId, AppointmentAccess.AccessSection, AccessActions.Create, ChangePurpose, entry.Id);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        services.Logger.LogInformation("Waitlist entry {EntryId} added for organization {OrganizationId}", entry.Id,
            entry.OrganizationId);
        return TypedResults.Created($"{Route}/waitlist/{entry.Id}", WaitlistEntryResponse.From(entry, organization, doctor));
    }

    /// <summary>Newest first; <paramref name="status"/> filters.</summary>
    public static async Task<Results<Ok<WaitlistEntryListResponse>, ValidationProblem, ProblemHttpResult>> ListMyWaitlistEntries(
        string? status, HttpContext http, ClaimsPrincipal user, AppointmentsDb db, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await AttachmentApi.RefusedAsync(db, http, patientId, AccessActions.Read, ReadPurpose, null, ct);
        }

        string[] statuses = [WaitlistStatuses.Waiting, WaitlistStatuses.Offered, WaitlistStatuses.Fulfilled,
            WaitlistStatuses.Cancelled, WaitlistStatuses.Expired];
        if (status is not null && !statuses.Contains(status))
        {
            return Problems.Validation("status", $"Допустимые статусы: {string.Join(", ", statuses)}.");
        }

        var query = db.WaitlistEntries.AsNoTracking().Where(e => e.PatientId == patientId);
        if (status is not null)
        {
            query = query.Where(e => e.Status == status);
        }

        var entries = await query.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Take(200).ToListAsync(ct);
        var organizationIds = entries.Select(e => e.OrganizationId).Distinct().ToList();
        var doctorIds = entries.Where(e => e.DoctorId != null).Select(e => e.DoctorId!.Value).Distinct().ToList();
        var organizations = await db.Organizations.AsNoTracking().Where(o => organizationIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        var doctors = await db.Doctors.AsNoTracking().Where(d => doctorIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
        await db.LogAccessAsync(http, patientId, AppointmentAccess.AccessSection, AccessActions.Read, ReadPurpose, ct: ct);
        return TypedResults.Ok(new WaitlistEntryListResponse(entries.Select(e => WaitlistEntryResponse.From(e,
            organizations.GetValueOrDefault(e.OrganizationId),
            e.DoctorId is { } d ? doctors.GetValueOrDefault(d) : null)).ToList()));
    }

    /// <summary>Leaves the waitlist; an offer the entry holds passes to the next patient. Sent again, it changes nothing.</summary>
    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> LeaveWaitlist(Guid id, HttpContext http,
        ClaimsPrincipal user, [AsParameters] WaitlistServices services, CancellationToken ct)
    {
        var db = services.Db;
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await AttachmentApi.RefusedAsync(db, http, patientId, AccessActions.Change, ChangePurpose, id, ct);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var entry = await db.WaitlistEntries
            .FromSql($"""SELECT * FROM waitlist_entries WHERE id = {id} AND patient_id = {patientId} FOR UPDATE""")
            .AsTracking()
            .SingleOrDefaultAsync(ct);
        if (entry is null)
        {
            return TypedResults.NotFound();
        }

        if (entry.Status is WaitlistStatuses.Waiting or WaitlistStatuses.Offered)
        {
            var now = services.Time.GetUtcNow();
            var offers = await LockOpenOffersAsync(db, entry.Id, ct);
            foreach (var offer in offers)
            {
                await WaitlistOffers.CloseOfferAsync(db, offer, entry, SlotOfferStatuses.Declined, WaitlistStatuses.Cancelled, now, ct);
            }

            entry.Status = WaitlistStatuses.Cancelled;
            entry.UpdatedAt = now;
            db.AddAccessEvent(http, patientId, AppointmentAccess.AccessSection, AccessActions.Change, ChangePurpose, entry.Id);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            services.Logger.LogInformation("Waitlist entry {EntryId} cancelled by the patient", entry.Id);
        }

        return TypedResults.NoContent();
    }

    /// <summary>Newest first; an open offer whose time has passed shows as expired before the sweep gets to it.</summary>
    public static async Task<Results<Ok<SlotOfferListResponse>, ValidationProblem, ProblemHttpResult>> ListMySlotOffers(
        string? status, HttpContext http, ClaimsPrincipal user, [AsParameters] WaitlistServices services, CancellationToken ct)
    {
        var db = services.Db;
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await AttachmentApi.RefusedAsync(db, http, patientId, AccessActions.Read, ReadPurpose, null, ct);
        }

        string[] statuses = [SlotOfferStatuses.Open, SlotOfferStatuses.Accepted, SlotOfferStatuses.Declined, SlotOfferStatuses.Expired];
        if (status is not null && !statuses.Contains(status))
        {
            return Problems.Validation("status", $"Допустимые статусы: {string.Join(", ", statuses)}.");
        }

        var now = services.Time.GetUtcNow();
        var offers = await db.SlotOffers.AsNoTracking().Where(o => o.PatientId == patientId)
            .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Take(200).ToListAsync(ct);
        var items = await DescribeAsync(db, offers, now, ct);
        if (status is not null)
        {
            items = items.Where(o => o.Status == status).ToList();
        }

        await db.LogAccessAsync(http, patientId, AppointmentAccess.AccessSection, AccessActions.Read, ReadPurpose, ct: ct);
        return TypedResults.Ok(new SlotOfferListResponse(items));
    }

    public static async Task<Results<Ok<AcceptedOfferResponse>, NotFound, ProblemHttpResult>> AcceptSlotOffer(Guid id,
        HttpContext http, ClaimsPrincipal user, [AsParameters] WaitlistServices services, AppointmentBooking booking,
        CancellationToken ct)
    {
        var db = services.Db;
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await AttachmentApi.RefusedAsync(db, http, patientId, AccessActions.Change, ChangePurpose, id, ct);
        }

        var offer = await db.SlotOffers.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id && o.PatientId == patientId, ct);
        if (offer is null)
        {
            return TypedResults.NotFound();
        }

        var now = services.Time.GetUtcNow();
        // Claimed by one conditional update, committed at once: the sweep (which skips locked offers and re-checks the
        // status) cannot pass the slot on while the booking runs, and a second accept finds the offer taken.
        var claimed = await db.SlotOffers
            .Where(o => o.Id == id && o.Status == SlotOfferStatuses.Open && o.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, SlotOfferStatuses.Accepted).SetProperty(o => o.AnsweredAt, now), ct);
        if (claimed == 0)
        {
            return OfferClosed(offer, now);
        }

        var actor = new BookingActor(user.ActorId().ToString(), user.ActorRole());
        // The entry's fulfilment and the access event join the booking's transaction; a failed booking clears them, so
        // they are added again before each attempt.
        async Task<WaitlistEntry> PrepareAsync()
        {
            var tracked = await db.WaitlistEntries.SingleAsync(e => e.Id == offer.EntryId, ct);
            tracked.Status = WaitlistStatuses.Fulfilled;
            tracked.UpdatedAt = now;
            // The hold ends with the booking, so that the slot is plainly free again should the appointment be cancelled.
            if (await db.Slots.FindAsync([offer.SlotId], ct) is { } slot && slot.HeldForOfferId == offer.Id)
            {
                slot.HeldForOfferId = null;
                slot.HeldUntil = null;
            }

            db.AddAccessEvent(http, patientId, AppointmentAccess.AccessSection, AccessActions.Change, ChangePurpose, offer.Id);
            return tracked;
        }

        BookingResult result;
        try
        {
            var entry = await PrepareAsync();
            if (entry.AppointmentId is { } appointmentId)
            {
                result = await booking.MoveAsync(appointmentId, patientId, offer.SlotId, actor, null, offer.Id, ct);
                if (result.Outcome is BookingOutcome.AppointmentNotFound or BookingOutcome.NotChangeable)
                {
                    // The appointment to move was cancelled (or took place) meanwhile: the patient still wants this slot.
                    await PrepareAsync();
                    result = await booking.BookAsync(patientId, offer.SlotId, actor, offer.Id, ct);
                }
            }
            else
            {
                result = await booking.BookAsync(patientId, offer.SlotId, actor, offer.Id, ct);
            }
        }
        catch
        {
            db.ChangeTracker.Clear();
            await ReopenAsync(db, id, ct);
            throw;
        }

        if (result is not { Outcome: BookingOutcome.Done, Appointment: { } appointment })
        {
            db.ChangeTracker.Clear();
            if (result.Outcome is BookingOutcome.SlotTaken or BookingOutcome.SlotNotFound or BookingOutcome.SlotInPast)
            {
                // The slot is gone (closed or booked by the organization): the offer ends and the patient waits on.
                await EndUnusableOfferAsync(db, offer, now);
            }
            else
            {
                await ReopenAsync(db, id, ct);
            }

            return BookingFailed(result.Outcome);
        }

        services.Logger.LogInformation("Waitlist offer {OfferId} accepted: appointment {AppointmentId}", id, appointment.Id);
        var accepted = (await DescribeAsync(db,
            [await db.SlotOffers.AsNoTracking().SingleAsync(o => o.Id == id, ct)], now, ct)).Single();
        return TypedResults.Ok(new AcceptedOfferResponse(accepted, new AcceptedOfferAppointment(appointment.Id, appointment.Status,
            appointment.StartsAt, appointment.EndsAt, appointment.Telemedicine, appointment.JoinUrl)));
    }

    /// <summary>The patient lets the slot pass to the next one and keeps waiting for another.</summary>
    public static async Task<Results<Ok<SlotOfferResponse>, NotFound, ProblemHttpResult>> DeclineSlotOffer(Guid id,
        HttpContext http, ClaimsPrincipal user, [AsParameters] WaitlistServices services, CancellationToken ct)
    {
        var db = services.Db;
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await AttachmentApi.RefusedAsync(db, http, patientId, AccessActions.Change, ChangePurpose, id, ct);
        }

        var now = services.Time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Locked, so that the sweep (which skips it) cannot expire it and pass the slot on a second time.
        var offer = await db.SlotOffers
            .FromSql($"""SELECT * FROM slot_offers WHERE id = {id} AND patient_id = {patientId} FOR UPDATE""")
            .AsTracking()
            .SingleOrDefaultAsync(ct);
        if (offer is null)
        {
            return TypedResults.NotFound();
        }

        if (offer.Status != SlotOfferStatuses.Open || offer.ExpiresAt <= now)
        {
            return OfferClosed(offer, now);
        }

        var entry = await db.WaitlistEntries.FindAsync([offer.EntryId], ct);
        await WaitlistOffers.CloseOfferAsync(db, offer, entry, SlotOfferStatuses.Declined, null, now, ct);
        db.AddAccessEvent(http, patientId, AppointmentAccess.AccessSection, AccessActions.Change, ChangePurpose, offer.Id);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        services.Logger.LogInformation("Waitlist offer {OfferId} declined", id);
        return TypedResults.Ok((await DescribeAsync(db, [offer], now, ct)).Single());
    }

    private static Task<List<SlotOffer>> LockOpenOffersAsync(AppointmentsDb db, Guid entryId, CancellationToken ct) =>
        db.SlotOffers
            .FromSql($"""SELECT * FROM slot_offers WHERE entry_id = {entryId} AND status = 'open' FOR UPDATE""")
            .AsTracking()
            .ToListAsync(ct);

    /// <summary>The booking failed: the offer is open again (until its time), so that the patient may retry or decline.</summary>
    private static Task ReopenAsync(AppointmentsDb db, Guid offerId, CancellationToken ct) =>
        db.SlotOffers.Where(o => o.Id == offerId && o.Status == SlotOfferStatuses.Accepted)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, SlotOfferStatuses.Open).SetProperty(o => o.AnsweredAt, (DateTimeOffset?)null),
                CancellationToken.None);

    private static async Task EndUnusableOfferAsync(AppointmentsDb db, SlotOffer offer, DateTimeOffset now)
    {
        await db.SlotOffers.Where(o => o.Id == offer.Id && o.Status == SlotOfferStatuses.Accepted)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, SlotOfferStatuses.Expired), CancellationToken.None);
        await db.WaitlistEntries.Where(e => e.Id == offer.EntryId && e.Status == WaitlistStatuses.Offered)
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Status, e => e.WantedBefore <= now ? WaitlistStatuses.Expired : WaitlistStatuses.Waiting)
                .SetProperty(e => e.UpdatedAt, now), CancellationToken.None);
    }

    private static async Task<List<SlotOfferResponse>> DescribeAsync(AppointmentsDb db, IReadOnlyList<SlotOffer> offers,
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
            var status = o.Status == SlotOfferStatuses.Open && o.ExpiresAt <= now ? SlotOfferStatuses.Expired : o.Status;
            return new SlotOfferResponse(o.Id, o.EntryId, status, o.ExpiresAt, o.CreatedAt, o.AnsweredAt,
                new SlotOfferSlot(slot.Id, slot.StartsAt, slot.EndsAt, slot.Telemedicine, slot.Room),
                doctors.TryGetValue(slot.DoctorId, out var doctor) ? WaitlistDoctor.From(doctor) : null,
                AttachmentOrganization.From(slot.OrganizationId, organizations.GetValueOrDefault(slot.OrganizationId)));
        }).ToList();
    }

    private static ProblemHttpResult OfferClosed(SlotOffer offer, DateTimeOffset now)
    {
        var expired = offer.Status == SlotOfferStatuses.Expired || (offer.Status == SlotOfferStatuses.Open && offer.ExpiresAt <= now);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: expired ? "Время предложения истекло" : "Предложение уже закрыто",
            detail: expired
                ? "Время, на которое для вас удерживалось это время приёма, истекло. Вы остаётесь в листе ожидания."
                : "На это предложение уже дан ответ.",
            extensions: new Dictionary<string, object?>
            {
                ["reason"] = expired ? "offer_expired" : "offer_closed",
                ["currentStatus"] = expired ? SlotOfferStatuses.Expired : offer.Status,
            });
    }

    private static ProblemHttpResult BookingFailed(BookingOutcome outcome) => outcome switch
    {
        BookingOutcome.SlotTaken or BookingOutcome.SlotNotFound or BookingOutcome.SlotInPast => TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Время уже занято",
            detail: "Это время приёма больше недоступно.",
            extensions: new Dictionary<string, object?> { ["reason"] = "slot_taken" }),
        BookingOutcome.AppointmentNotFound or BookingOutcome.NotChangeable => TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Запись не перенесена",
            detail: "Запись, которую вы хотели перенести, уже отменена или не может быть изменена.",
            extensions: new Dictionary<string, object?> { ["reason"] = "appointment_not_changeable" }),
        BookingOutcome.AccountNotConfirmed => AttachmentApi.BusinessRule("account_not_confirmed",
            "Чтобы записаться к врачу, подтвердите учётную запись."),
        BookingOutcome.NoOmsPolicy => AttachmentApi.BusinessRule("oms_policy_missing",
            "Чтобы записаться к врачу, добавьте полис ОМС в профиль."),
        BookingOutcome.OmsPolicyNotValid => AttachmentApi.BusinessRule("oms_policy_not_valid",
            "Ваш полис ОМС не действует. Обновите данные полиса."),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, detail: "Запись не выполнена."),
    };

    internal static readonly Dictionary<string, string> FormatMessages = new()
    {
        ["organizationId"] = "Идентификатор организации должен быть GUID.",
        ["doctorId"] = "Идентификатор врача должен быть GUID.",
        ["appointmentId"] = "Идентификатор записи должен быть GUID.",
        ["wantedBefore"] = "Время должно быть в формате ISO 8601 (например, 2026-12-10T09:00:00+03:00).",
        ["specialty"] = "Специальность должна быть строкой.",
    };
}
