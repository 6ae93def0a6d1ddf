using System.Security.Claims;
using Gosuslugi.Health.Contracts.Identity;
using Microsoft.AspNetCore.Authorization;

namespace Gosuslugi.Health.ServiceDefaults.Auth;

/// <summary>What an access token allows regarding the medical record of its <c>sub</c>.</summary>
public enum MedicalDataAccess
{
    /// <summary>Not a token for reading a patient's record at all (a doctor, an organization, no health scope...).</summary>
    None,

    /// <summary>The person's own record: role patient, scope health, a confirmed account, consent in force.</summary>
    Own,

    /// <summary>
    /// Someone acting for the person (<c>act.sub</c>) under a delegation (<c>del</c>) with a delegated reading scope,
    /// from a confirmed account. What they may read depends on the scope, see
    /// <see cref="ClaimsPrincipalExtensions.CanReadSection"/>.
    /// </summary>
    Delegated,

    /// <summary>Would be <see cref="Own"/> or <see cref="Delegated"/>, but the account is not confirmed.</summary>
    AccountNotConfirmed,

    /// <summary>Would be <see cref="Own"/>, but consent to the processing of personal data is not in force.</summary>
    ConsentNotInForce,
}

/// <summary>The requirement behind <see cref="Policies.MedicalData"/>.</summary>
public sealed class MedicalDataRequirement : AuthorizationHandler<MedicalDataRequirement>, IAuthorizationRequirement
{
    public const string AccountNotConfirmedDetail =
        "Медицинские данные доступны только подтверждённой учётной записи. Подтвердите личность в центре обслуживания " +
        "или кодом подтверждения из личного кабинета.";

    public const string ConsentNotInForceDetail =
        "Вы отозвали согласие на обработку персональных данных. Дайте согласие в профиле, чтобы видеть медицинские данные.";

    /// <summary>Machine-readable <c>reason</c> of the 403 problems, for a frontend to lead the person to the right page.</summary>
    public const string AccountNotConfirmedReason = "account_not_confirmed";
    public const string ConsentNotInForceReason = "consent_not_in_force";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MedicalDataRequirement requirement)
    {
        switch (context.User.GetMedicalDataAccess())
        {
            case MedicalDataAccess.Own or MedicalDataAccess.Delegated:
                context.Succeed(requirement);
                break;
            case MedicalDataAccess.AccountNotConfirmed:
                context.Fail(new AuthorizationRefusal(this, AccountNotConfirmedReason, AccountNotConfirmedDetail));
                break;
            case MedicalDataAccess.ConsentNotInForce:
                context.Fail(new AuthorizationRefusal(this, ConsentNotInForceReason, ConsentNotInForceDetail));
                break;
            case MedicalDataAccess.None when context.User.IsInRole(HealthClaims.Roles.Patient) && !context.User.IsActingForSomeoneElse()
                                             && !context.User.HasScope(HealthClaims.Scopes.Health):
                // A patient's own token that the frontend asked without the health scope: say which scope to ask for.
                context.Fail(ScopeRequirement.MissingScope(this, HealthClaims.Scopes.Health));
                break;
            default:
                // Not a patient's or a representative's token: a plain 403, nothing to explain.
                context.Fail();
                break;
        }
        return Task.CompletedTask;
    }
}

/// <summary>The sections of a record a delegation with a limited scope opens.</summary>
public static class DelegatedSections
{
    /// <summary>Scope health.delegated.limited: current prescriptions and lab results.</summary>
    public static readonly IReadOnlySet<string> Limited = new HashSet<string>(StringComparer.Ordinal)
    {
        RecordSections.Prescriptions,
        RecordSections.LabResults,
    };

    internal static bool HasReadingScope(ClaimsPrincipal user) =>
        user.HasScope(HealthClaims.Scopes.DelegatedRecords) || user.HasScope(HealthClaims.Scopes.DelegatedLimited);
}
