using System.Security.Claims;
using Gosuslugi.Health.Appointments.Attachments;
using Gosuslugi.Health.Appointments.Booking;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Appointments.Api;

/// <summary>Who may see and manage a patient's appointments, attachment and waitlist (the token's <c>sub</c>).</summary>
public static class AppointmentAccess
{
    /// <summary>
    /// The person's own token (role patient, scope health), or a representative's acting under a delegation with the
    /// "manage" scope (health.delegated.appointments). Whether the account is confirmed is the booking rule's affair,
    /// so that its problem can say what is missing.
    /// </summary>
    public static bool CanManageAppointments(this ClaimsPrincipal user) =>
        user.IsActingForSomeoneElse()
            ? user.GetActorId() is not null && user.GetDelegationId() is not null
              && user.HasScope(HealthClaims.Scopes.DelegatedAppointments)
            : user.IsInRole(HealthClaims.Roles.Patient) && user.HasScope(HealthClaims.Scopes.Health);

    /// <summary>"patient" or "representative": who acted, for the appointment's history.</summary>
    public static string ActorRole(this ClaimsPrincipal user) => user.IsActingForSomeoneElse() ? "representative" : "patient";

    /// <summary>The acting person: <c>act.sub</c> for a representative, else <c>sub</c>.</summary>
    public static Guid ActorId(this ClaimsPrincipal user) => user.GetActorId() ?? user.GetSubjectId();

    /// <summary>The patient or their representative, as a booking's history records them.</summary>
    public static BookingActor PersonActor(this ClaimsPrincipal user) => new(user.ActorId().ToString(), user.ActorRole());

    /// <summary>The organization's client (or the organization when the token names no client).</summary>
    public static BookingActor OrganizationActor(this ClaimsPrincipal user) =>
        new(user.GetClientId() ?? user.GetOrganizationId()!.Value.ToString(), BookingActor.OrganizationRole);

    /// <summary>The organization the token is of, with the name it carries.</summary>
    public static ActingOrganization ActingOrganization(this ClaimsPrincipal user) =>
        new(user.GetOrganizationId()!.Value, user.GetOrganizationName());

    /// <summary>403 of the booking endpoints, logged as refused for the person whose token it is.</summary>
    public static async Task<ProblemHttpResult> RefuseBookingAsync(this PatientAccessLog access, ClaimsPrincipal user,
        string action, string purpose, Guid? itemId, CancellationToken ct)
    {
        // Only a person's token names a patient whose refused access is worth telling them about.
        if (Guid.TryParse(user.FindFirst(HealthClaims.Subject)?.Value, out var subjectId))
        {
            await access.LogAsync(subjectId, action, purpose, itemId, ct, AccessOutcomes.Refused);
        }

        return AppointmentProblems.WithReason(StatusCodes.Status403Forbidden, "Доступ запрещён",
            "Записываться к врачу и управлять записями может сам пациент или его представитель с правом записи.",
            NotDelegatedReason);
    }

    /// <summary>403 of the attachment and waitlist endpoints, logged as refused for <paramref name="patientId"/>.</summary>
    public static async Task<ProblemHttpResult> RefuseAsync(this PatientAccessLog access, Guid patientId, string action,
        string purpose, Guid? itemId, CancellationToken ct)
    {
        await access.LogAsync(patientId, action, purpose, itemId, ct, AccessOutcomes.Refused);
        return AppointmentProblems.WithReason(StatusCodes.Status403Forbidden, "Forbidden",
            "Ваши полномочия не позволяют управлять записями к врачу и прикреплением этого человека.", NotDelegatedReason);
    }

    private const string NotDelegatedReason = "appointments_not_delegated";
}
