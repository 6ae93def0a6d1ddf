using System.Security.Claims;
using Gosuslugi.Health.Appointments.Waitlist;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Appointments.Api;

/// <summary>
/// The patient's waitlist: they wait for an earlier slot, and a freed one is offered to the first of them for a while
/// (<see cref="WaitlistOffers.OfferHoldTime"/>, answered through <see cref="SlotOffersApi"/>).
/// </summary>
public static class WaitlistApi
{
    public const string Route = "/api/v1/appointments";

    public static RouteGroupBuilder MapWaitlistApi(this IEndpointRouteBuilder app)
    {
        // Authenticated here; who may act for the patient (the token's sub) is checked by CanManageAppointments.
        var api = app.MapGroup(Route).WithTags("Waitlist").RequireAuthorization();

        api.MapPost("/waitlist", JoinWaitlist).Accepts<JoinWaitlist>("application/json").WithName(nameof(JoinWaitlist));
        api.MapGet("/waitlist", ListMyWaitlistEntries).WithName(nameof(ListMyWaitlistEntries));
        api.MapDelete("/waitlist/{id:guid}", LeaveWaitlist).WithName(nameof(LeaveWaitlist));

        return api;
    }

    public static async Task<Results<Created<WaitlistEntryResponse>, ValidationProblem, ProblemHttpResult>> JoinWaitlist(
        Json<JoinWaitlist> body, ClaimsPrincipal user, PatientWaitlist waitlist, PatientAccessLog access, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await access.RefuseAsync(patientId, AccessActions.Create, PatientWaitlist.ChangePurpose, null, ct);
        }

        var joined = await waitlist.JoinAsync(patientId, body.Value, user.ActorId().ToString(), ct);
        return joined switch
        {
            { Outcome: WaitlistJoinOutcome.Joined, Entry: { } entry } =>
                TypedResults.Created($"{Route}/waitlist/{entry.Id}", entry),
            { Outcome: WaitlistJoinOutcome.AlreadyWaiting } => AppointmentProblems.Conflict("Вы уже в листе ожидания",
                "Вы уже ждёте более раннюю запись к этому врачу (или специалисту) в этой организации.", "already_waiting"),
            { Outcome: WaitlistJoinOutcome.LimitReached } => AppointmentProblems.BusinessRule("waitlist_limit",
                $"В листе ожидания может быть не больше {PatientWaitlist.MaxActiveEntries} заявок. Отмените ненужные."),
            _ => Problems.Validation(joined.Errors!),
        };
    }

    /// <summary>Newest first; <paramref name="status"/> filters.</summary>
    public static async Task<Results<Ok<WaitlistEntryListResponse>, ValidationProblem, ProblemHttpResult>> ListMyWaitlistEntries(
        string? status, ClaimsPrincipal user, PatientWaitlist waitlist, PatientAccessLog access, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await access.RefuseAsync(patientId, AccessActions.Read, PatientWaitlist.ReadPurpose, null, ct);
        }

        if (status is not null && !PatientWaitlist.EntryStatuses.Contains(status))
        {
            return Problems.Validation("status", $"Допустимые статусы: {string.Join(", ", PatientWaitlist.EntryStatuses)}.");
        }

        return TypedResults.Ok(new WaitlistEntryListResponse(await waitlist.ListAsync(patientId, status, ct)));
    }

    /// <summary>Leaves the waitlist; an offer the entry holds passes to the next patient. Sent again, it changes nothing.</summary>
    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> LeaveWaitlist(Guid id, ClaimsPrincipal user,
        PatientWaitlist waitlist, PatientAccessLog access, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await access.RefuseAsync(patientId, AccessActions.Change, PatientWaitlist.ChangePurpose, id, ct);
        }

        return await waitlist.LeaveAsync(patientId, id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
    }
}
