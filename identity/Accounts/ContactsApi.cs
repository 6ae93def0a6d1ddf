using System.Security.Claims;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Accounts;

public sealed record PhoneChangeRequest(string? Phone) : IJsonRequest<PhoneChangeRequest>;

public sealed record EmailChangeRequest(string? Email) : IJsonRequest<EmailChangeRequest>;

public sealed record ContactCodeRequest(string? Code) : IJsonRequest<ContactCodeRequest>;

/// <summary>
/// Changing the phone number and e-mail address: <c>/api/v1/account/contacts/{phone|email}</c>. Both steps need a fresh
/// sign-in with a second factor (see <see cref="FreshSignIn"/>).
/// </summary>
public static class ContactsApi
{
    public const string BasePath = "/api/v1/account/contacts";

    public const string NoChangeDetail = "Смена не начата или устарела. Укажите новый контакт ещё раз.";
    public const string TakenDetail = "Этот контакт уже указан в другой учётной записи.";

    public static RouteGroupBuilder MapContactsApi(this IEndpointRouteBuilder app)
    {
        var contacts = app.MapGroup(BasePath).RequireAuthorization(Policies.Patient).DisableAntiforgery().WithTags("Account");
        contacts.MapPut("/phone", (Json<PhoneChangeRequest> body, ClaimsPrincipal principal, [AsParameters] ContactServices s, HttpContext http, CancellationToken ct) =>
            StartAsync(ContactChannel.Sms, body.Value.Phone, principal, s, http, ct));
        contacts.MapPost("/phone/confirmation", (Json<ContactCodeRequest> body, ClaimsPrincipal principal, [AsParameters] ContactServices s, HttpContext http, CancellationToken ct) =>
            ConfirmAsync(ContactChannel.Sms, body.Value.Code, principal, s, http, ct));
        contacts.MapPut("/email", (Json<EmailChangeRequest> body, ClaimsPrincipal principal, [AsParameters] ContactServices s, HttpContext http, CancellationToken ct) =>
            StartAsync(ContactChannel.Email, body.Value.Email, principal, s, http, ct));
        contacts.MapPost("/email/confirmation", (Json<ContactCodeRequest> body, ClaimsPrincipal principal, [AsParameters] ContactServices s, HttpContext http, CancellationToken ct) =>
            ConfirmAsync(ContactChannel.Email, body.Value.Code, principal, s, http, ct));
        return contacts;
    }

    public sealed record ContactServices(UserManager<HealthUser> Users, ContactChanges Changes, TimeProvider Time);

    private static async Task<Results<Accepted<ContactChangeStarted>, ValidationProblem, ProblemHttpResult>> StartAsync(
        ContactChannel channel, string? value, ClaimsPrincipal principal, ContactServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        if (!FreshSignIn.IsFresh(principal, s.Time)) return FreshSignIn.Required();
        var result = await s.Changes.StartAsync(user, channel, value, ct);
        return result.Outcome switch
        {
            ContactChangeOutcome.Started => TypedResults.Accepted($"{BasePath}/{ContactChanges.FieldOf(channel)}/confirmation", result.Started),
            ContactChangeOutcome.Throttled => AccountProblems.Throttled(http, result.RetryAfter),
            _ => Problems.Validation(result.Errors!),
        };
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ConfirmAsync(
        ContactChannel channel, string? code, ClaimsPrincipal principal, ContactServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        if (!FreshSignIn.IsFresh(principal, s.Time)) return FreshSignIn.Required();
        var result = await s.Changes.ConfirmAsync(user, channel, code, ct);
        return result.Outcome switch
        {
            ContactChangeOutcome.Changed => TypedResults.NoContent(),
            ContactChangeOutcome.NotFound => AccountProblems.NotFound(NoChangeDetail),
            ContactChangeOutcome.ContactTaken => AccountProblems.Conflict(TakenDetail, "contact_taken"),
            _ => Problems.Validation(result.Errors!),
        };
    }
}
