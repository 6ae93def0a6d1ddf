using System.Security.Claims;
using System.Text.Json;
using Gosuslugi.Health.ServiceDefaults.Auth;

namespace Gosuslugi.Health.ServiceDefaults;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The <c>sub</c> claim as a Guid. Throws when absent or not a Guid: call it only behind a policy that guarantees a user.</summary>
    public static Guid GetSubjectId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirst(HealthClaims.Subject)?.Value, out var id)
            ? id
            : throw new InvalidOperationException("The token has no sub claim that is a Guid.");

    /// <summary>The <c>org_id</c> claim, or null.</summary>
    public static Guid? GetOrganizationId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirst(HealthClaims.OrganizationId)?.Value, out var id) ? id : null;

    /// <summary>The <c>org_name</c> claim, or null.</summary>
    public static string? GetOrganizationName(this ClaimsPrincipal user) =>
        user.FindFirst(HealthClaims.OrganizationName)?.Value;

    /// <summary>The <c>client_id</c> claim, or null.</summary>
    public static string? GetClientId(this ClaimsPrincipal user) => user.FindFirst(HealthClaims.ClientId)?.Value;

    /// <summary>Scopes of the token (the space-separated <c>scope</c> claim, or several scope claims).</summary>
    public static IReadOnlySet<string> GetScopes(this ClaimsPrincipal user) =>
        user.FindAll(HealthClaims.Scope)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);

    public static bool HasScope(this ClaimsPrincipal user, string scope) => user.GetScopes().Contains(scope);

    /// <summary>The sign-in session (<c>sid</c>), or null.</summary>
    public static Guid? GetSessionId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirst(HealthClaims.SessionId)?.Value, out var id) ? id : null;

    /// <summary>The delegation a token acting for someone else was issued under (<c>del</c>), or null.</summary>
    public static Guid? GetDelegationId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirst(HealthClaims.DelegationId)?.Value, out var id) ? id : null;

    /// <summary>
    /// True when the token carries an <c>act</c> claim: its <c>sub</c> is then the represented person, not the caller.
    /// Any <c>act</c> counts, even a malformed one, so that such a token is never taken for the person's own.
    /// </summary>
    public static bool IsActingForSomeoneElse(this ClaimsPrincipal user) => user.HasClaim(c => c.Type == HealthClaims.Actor);

    /// <summary>
    /// The person acting (<c>act.sub</c>, RFC 8693 §4.1), or null when the token is the person's own or the claim is
    /// malformed. With nested actors (a chain of delegations) this is the current, outermost one.
    /// </summary>
    public static Guid? GetActorId(this ClaimsPrincipal user)
    {
        var act = user.FindFirst(HealthClaims.Actor)?.Value;
        if (string.IsNullOrEmpty(act)) return null;
        try
        {
            using var json = JsonDocument.Parse(act);
            return json.RootElement.ValueKind == JsonValueKind.Object
                   && json.RootElement.TryGetProperty(HealthClaims.Subject, out var sub)
                   && sub.ValueKind == JsonValueKind.String
                   && Guid.TryParse(sub.GetString(), out var id)
                ? id
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The <c>acc_level</c> claim (simplified, standard, confirmed), or null.</summary>
    public static string? GetAccountLevel(this ClaimsPrincipal user) => user.FindFirst(HealthClaims.AccountLevel)?.Value;

    /// <summary>True when the token says consent to the processing of personal data is in force (<c>pd_consent</c> "true").</summary>
    public static bool HasPersonalDataConsent(this ClaimsPrincipal user) =>
        string.Equals(user.FindFirst(HealthClaims.PersonalDataConsent)?.Value, "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>What the token allows regarding the medical record of its <c>sub</c> (the rule behind <see cref="Policies.MedicalData"/>).</summary>
    public static MedicalDataAccess GetMedicalDataAccess(this ClaimsPrincipal user)
    {
        var confirmed = user.GetAccountLevel() == HealthClaims.AccountLevels.Confirmed;
        if (user.IsActingForSomeoneElse())
        {
            // Consent here is the represented person's affair and is checked by identity when it exchanges the token.
            var delegated = user.GetActorId() is not null && user.GetDelegationId() is not null && DelegatedSections.HasReadingScope(user);
            return !delegated ? MedicalDataAccess.None
                : !confirmed ? MedicalDataAccess.AccountNotConfirmed
                : MedicalDataAccess.Delegated;
        }

        var own = user.IsInRole(HealthClaims.Roles.Patient) && user.HasScope(HealthClaims.Scopes.Health);
        return !own ? MedicalDataAccess.None
            : !confirmed ? MedicalDataAccess.AccountNotConfirmed
            : !user.HasPersonalDataConsent() ? MedicalDataAccess.ConsentNotInForce
            : MedicalDataAccess.Own;
    }

    /// <summary>
    /// True when the token may read every section of its <c>sub</c>'s record: their own token, or a representative's
    /// with the delegated records scope (delegation "all" or "manage").
    /// </summary>
    public static bool CanReadWholeRecord(this ClaimsPrincipal user) => user.GetMedicalDataAccess() switch
    {
        MedicalDataAccess.Own => true,
        MedicalDataAccess.Delegated => user.HasScope(HealthClaims.Scopes.DelegatedRecords),
        _ => false,
    };

    /// <summary>
    /// True when the token may read <paramref name="section"/> (one of <c>RecordSections</c>) of its <c>sub</c>'s record:
    /// the whole record (see <see cref="CanReadWholeRecord"/>), or with a limited delegation only prescriptions and
    /// lab results. False for any token that does not pass <see cref="Policies.MedicalData"/>.
    /// </summary>
    public static bool CanReadSection(this ClaimsPrincipal user, string section) =>
        user.CanReadWholeRecord()
        || (user.GetMedicalDataAccess() == MedicalDataAccess.Delegated
            && user.HasScope(HealthClaims.Scopes.DelegatedLimited)
            && DelegatedSections.Limited.Contains(section));
}
