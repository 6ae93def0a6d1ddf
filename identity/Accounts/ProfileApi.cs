using System.Security.Claims;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Accounts;

public sealed record PassportView(string Series, string Number, DateOnly? IssuedOn);

public sealed record OmsPolicyView(string Number, string? Insurer, DateOnly? ValidFrom, DateOnly? ValidTo);

public sealed record ConsentView(string Version, DateTimeOffset GivenAt, DateTimeOffset? WithdrawnAt, bool InForce, string? Text);

/// <param name="Level">simplified, standard or confirmed.</param>
/// <param name="NextStep">What the person does to reach the next level (Russian), or null at the top.</param>
public sealed record ProfileView(
    Guid UserId,
    string FamilyName,
    string GivenName,
    string? MiddleName,
    DateOnly? BirthDate,
    string? Phone,
    bool PhoneConfirmed,
    string? Email,
    bool EmailConfirmed,
    string? Snils,
    PassportView? Passport,
    OmsPolicyView? OmsPolicy,
    string Level,
    DateTimeOffset? LevelConfirmedAt,
    string? NextStep,
    ConsentView? Consent);

/// <summary>The signed-in patient's own profile: <c>/api/v1/account/profile</c>.</summary>
public static class ProfileApi
{
    public const string BasePath = "/api/v1/account/profile";

    public const string SimplifiedNextStep =
        "Укажите СНИЛС, паспорт и полис ОМС — учётная запись станет стандартной.";

    public const string StandardNextStep =
        "Подтвердите личность: в центре обслуживания с паспортом и СНИЛС или кодом подтверждения, полученным там. " +
        "Медицинские данные доступны только с подтверждённой учётной записью.";

    public static RouteGroupBuilder MapProfileApi(this IEndpointRouteBuilder app)
    {
        var profile = app.MapGroup(BasePath).RequireAuthorization(Policies.Patient).DisableAntiforgery().WithTags("Account");
        profile.MapGet("/", GetAsync);
        profile.MapPut("/documents", UpdateDocumentsAsync);
        return profile;
    }

    public sealed record ProfileServices(UserManager<HealthUser> Users, AccountClaims Claims, AccountDocuments Documents, PersonDocuments PersonDocuments);

    private static async Task<Results<Ok<ProfileView>, ProblemHttpResult>> GetAsync(
        ClaimsPrincipal principal, [AsParameters] ProfileServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        return TypedResults.Ok(await ViewAsync(user, s.Claims, s.PersonDocuments, ct));
    }

    private static async Task<Results<Ok<ProfileView>, ValidationProblem, ProblemHttpResult>> UpdateDocumentsAsync(
        Json<DocumentsRequest> body, ClaimsPrincipal principal, [AsParameters] ProfileServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        var result = await s.Documents.UpdateAsync(user, body.Value, ct);
        return result.Outcome switch
        {
            DocumentsOutcome.Invalid => Problems.Validation(result.Errors!),
            DocumentsOutcome.Conflict => AccountProblems.Conflict(result.Detail!),
            _ => TypedResults.Ok(await ViewAsync(user, s.Claims, s.PersonDocuments, ct)),
        };
    }

    public static async Task<ProfileView> ViewAsync(HealthUser user, AccountClaims claims, PersonDocuments personDocuments, CancellationToken ct)
    {
        var consent = await claims.LatestConsentAsync(user.Id, ct);
        var documents = await personDocuments.OpenAsync(user, ct);
        return new ProfileView(
            user.Id,
            user.FamilyName,
            user.GivenName,
            user.MiddleName,
            user.BirthDate,
            user.PhoneNumber,
            user.PhoneNumberConfirmed,
            user.Email,
            user.EmailConfirmed,
            user.Snils,
            documents.Passport is { } passport ? new PassportView(passport.Series, passport.Number, passport.IssuedOn) : null,
            documents.OmsPolicy is { } oms ? new OmsPolicyView(oms.Number, oms.Insurer, oms.ValidFrom, oms.ValidTo) : null,
            AccountClaims.LevelValue(user.Level),
            user.LevelConfirmedAt,
            user.Level switch
            {
                AccountLevel.Simplified => SimplifiedNextStep,
                AccountLevel.Standard => StandardNextStep,
                _ => null,
            },
            consent is null ? null : PersonalDataConsentApi.View(consent));
    }
}
