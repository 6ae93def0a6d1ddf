using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults.Auth;

namespace Gosuslugi.Health.Identity.Delegations;

/// <summary>API names of delegation kinds and scopes, and the token scopes each delegation scope grants.</summary>
public static class DelegationScopes
{
    public const string All = "all";
    public const string Limited = "limited";
    public const string Manage = "manage";

    public static string Name(DelegationScope scope) => scope switch
    {
        DelegationScope.All => All,
        DelegationScope.Limited => Limited,
        DelegationScope.Manage => Manage,
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };

    public static bool TryParse(string? value, out DelegationScope scope)
    {
        (var known, scope) = value switch
        {
            All => (true, DelegationScope.All),
            Limited => (true, DelegationScope.Limited),
            Manage => (true, DelegationScope.Manage),
            _ => (false, default),
        };
        return known;
    }

    public static string KindName(DelegationKind kind) => kind switch
    {
        DelegationKind.Guardian => "guardian",
        DelegationKind.Representative => "representative",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// What a token acting under a delegation of this scope may carry: the whole record (all), prescriptions and lab
    /// results (limited), the whole record and appointments (manage).
    /// </summary>
    public static IReadOnlyList<string> TokenScopes(DelegationScope scope) => scope switch
    {
        DelegationScope.All => [HealthClaims.Scopes.DelegatedRecords],
        DelegationScope.Limited => [HealthClaims.Scopes.DelegatedLimited],
        DelegationScope.Manage => [HealthClaims.Scopes.DelegatedRecords, HealthClaims.Scopes.DelegatedAppointments],
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };
}
