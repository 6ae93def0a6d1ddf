using System.Security.Claims;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Accounts;

/// <param name="CurrentVersion">The edition a consent is given to now.</param>
/// <param name="CurrentText">Its text, to show before the person agrees.</param>
/// <param name="Consent">The person's latest consent (with the text of its own edition), or null when none was ever given.</param>
public sealed record ConsentStatus(string CurrentVersion, string CurrentText, bool InForce, ConsentView? Consent);

public sealed record GiveConsentRequest(string? Version) : IJsonRequest<GiveConsentRequest>;

/// <summary>Consent to the processing of personal data: <c>/api/v1/account/consent</c>.</summary>
public static class PersonalDataConsentApi
{
    public const string Path = "/api/v1/account/consent";

    public static RouteGroupBuilder MapPersonalDataConsentApi(this IEndpointRouteBuilder app)
    {
        var consent = app.MapGroup(Path).RequireAuthorization(Policies.Patient).DisableAntiforgery().WithTags("Account");
        consent.MapGet("/", GetAsync);
        consent.MapPost("/", GiveAsync);
        consent.MapDelete("/", WithdrawAsync);
        return consent;
    }

    public sealed record ConsentServices(UserManager<HealthUser> Users, AccountClaims Claims, PersonalDataConsents Consents);

    public static ConsentView View(PersonalDataConsent consent) =>
        new(consent.Version, consent.GivenAt, consent.WithdrawnAt, consent.WithdrawnAt is null, PersonalDataConsentText.Of(consent.Version));

    private static async Task<Results<Ok<ConsentStatus>, ProblemHttpResult>> GetAsync(
        ClaimsPrincipal principal, [AsParameters] ConsentServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        return TypedResults.Ok(await StatusAsync(user.Id, s.Claims, ct));
    }

    private static async Task<Results<Ok<ConsentStatus>, ValidationProblem, ProblemHttpResult>> GiveAsync(
        Json<GiveConsentRequest> body, ClaimsPrincipal principal, [AsParameters] ConsentServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        if (body.Value.Version != PersonalDataConsentText.CurrentVersion)
            return Problems.Validation("version",
                $"Согласие даётся на действующую редакцию {PersonalDataConsentText.CurrentVersion}: прочитайте её текст и повторите.");
        await s.Consents.GiveAsync(user.Id, ct);
        return TypedResults.Ok(await StatusAsync(user.Id, s.Claims, ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> WithdrawAsync(
        ClaimsPrincipal principal, [AsParameters] ConsentServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        // Withdrawing what is not in force changes nothing; the answer is the same, so a retry is safe.
        await s.Consents.WithdrawAsync(user, principal, ct);
        return TypedResults.NoContent();
    }

    private static async Task<ConsentStatus> StatusAsync(Guid userId, AccountClaims claims, CancellationToken ct)
    {
        var latest = await claims.LatestConsentAsync(userId, ct);
        return new ConsentStatus(PersonalDataConsentText.CurrentVersion, PersonalDataConsentText.Current,
            latest is { WithdrawnAt: null }, latest is null ? null : View(latest));
    }
}
