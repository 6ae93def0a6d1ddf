using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gosuslugi.Health.ServiceDefaults.Audit;

/// <summary>
/// Every read, export and change of a patient's data, and every refusal, is told to Audit as a
/// <see cref="PatientDataAccessed"/> through the service's outbox: it commits with the change (or alone, for a read)
/// and reaches Audit even when the broker is down at that moment.
/// </summary>
public static class AccessLog
{
    /// <summary>Optional request header in which a caller declares why it opens the data (shown to the patient).</summary>
    public const string PurposeHeader = "X-Access-Purpose";

    private const int PurposeLength = 200;

    /// <summary>
    /// Adds the access event to <paramref name="db"/>'s outbox; the next SaveChanges stores it. Use it where the
    /// endpoint saves anyway (a change); for reads, <see cref="LogAccessAsync"/>.
    /// </summary>
    /// <param name="section">A <c>RecordSections</c> value or the area ("history", "exports", "data_requests").</param>
    /// <param name="impliedPurpose">What the endpoint implies, in Russian ("просмотр истории обращений"); a purpose the caller declared comes first.</param>
    public static PatientDataAccessed AddAccessEvent(this DbContext db, HttpContext http, Guid patientId, string section,
        string action, string impliedPurpose, Guid? itemId = null, string outcome = AccessOutcomes.Allowed)
    {
        var access = Describe(http, patientId, section, action, impliedPurpose, itemId, outcome);
        db.AddOutboxEvent(access);
        return access;
    }

    /// <summary>Adds the access event and saves it at once (a read, or a refusal that changes nothing else).</summary>
    public static async Task LogAccessAsync(this DbContext db, HttpContext http, Guid patientId, string section,
        string action, string impliedPurpose, Guid? itemId = null, string outcome = AccessOutcomes.Allowed,
        CancellationToken ct = default)
    {
        db.AddAccessEvent(http, patientId, section, action, impliedPurpose, itemId, outcome);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Who (from the token), from where, what and why: the event for one access.</summary>
    public static PatientDataAccessed Describe(HttpContext http, Guid patientId, string section, string action,
        string impliedPurpose, Guid? itemId = null, string outcome = AccessOutcomes.Allowed)
    {
        var user = http.User;
        var time = http.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var declared = http.Request.Headers[PurposeHeader].ToString().Trim();
        var purpose = declared.Length > 0 ? Limit(declared, PurposeLength)! : impliedPurpose;
        var actorId = user.GetActorId() ?? TryGetSubject(user);
        return new PatientDataAccessed(
            EventId: Guid.CreateVersion7(),
            PatientId: patientId,
            ActorId: actorId,
            ActorRole: RoleOf(user),
            ActorName: Limit(user.FindFirst("name")?.Value, 300),
            OrganizationId: user.GetOrganizationId(),
            OrganizationName: Limit(user.GetOrganizationName(), 300),
            DelegationId: user.GetDelegationId(),
            ClientId: Limit(user.GetClientId(), 100),
            Service: ServiceNameOf(http.RequestServices),
            Section: section,
            ItemId: itemId,
            Action: action,
            Purpose: purpose,
            IpAddress: http.Connection.RemoteIpAddress?.ToString(),
            UserAgent: Limit(http.Request.Headers.UserAgent.ToString(), 300),
            Outcome: outcome,
            OccurredAt: time.GetUtcNow());
    }

    // Once per process where the service defaults are added: a configuration read per request takes a shared lock.
    private static string ServiceNameOf(IServiceProvider services) =>
        services.GetService<ServiceIdentity>()?.Name
        ?? TelemetryExtensions.ServiceName(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<IHostEnvironment>());

    /// <summary>The role under which the token acts, most specific first (a representative is also a patient).</summary>
    public static string RoleOf(ClaimsPrincipal user) =>
        user.IsActingForSomeoneElse() ? AccessActorRoles.Representative
        : user.IsInRole(HealthClaims.Roles.Doctor) ? AccessActorRoles.Doctor
        : user.IsInRole(HealthClaims.Roles.MedicalOrganization) ? AccessActorRoles.MedicalOrganization
        : user.IsInRole(HealthClaims.Roles.Pharmacy) ? AccessActorRoles.Pharmacy
        : user.IsInRole(HealthClaims.Roles.Admin) ? AccessActorRoles.Admin
        : AccessActorRoles.Patient;

    private static Guid? TryGetSubject(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirst(HealthClaims.Subject)?.Value, out var id) ? id : null;

    private static string? Limit(string? value, int length) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];
}
