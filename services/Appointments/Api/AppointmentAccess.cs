using System.Security.Claims;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;

namespace Gosuslugi.Health.Appointments.Api;

/// <summary>Who may see and manage a patient's appointments, attachment and waitlist (the token's <c>sub</c>).</summary>
public static class AppointmentAccess
{
    /// <summary>The area of the patient's data these endpoints touch, as Audit shows it.</summary>
    public const string AccessSection = "appointments";

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
}
