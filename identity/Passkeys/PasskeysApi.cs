using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Gosuslugi.Health.Identity.Accounts;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Passkeys;

/// <summary>
/// The signed-in person's passkeys: <c>/api/v1/account/passkeys</c>. Adding or removing one changes how the account
/// is protected, so it needs a fresh sign-in with a second factor; listing does not.
/// </summary>
public static class PasskeysApi
{
    public const string BasePath = "/api/v1/account/passkeys";
    public const int MaxNameLength = 64;
    public const string DefaultName = "Ключ доступа";

    public const string NotFoundDetail = "Ключ доступа не найден.";
    public const string NoCeremonyMessage = "Запрос на создание ключа устарел или уже использован. Начните добавление ключа заново.";
    public const string RefusedMessage = "Ключ доступа не прошёл проверку. Попробуйте ещё раз или выберите другое устройство.";

    public static RouteGroupBuilder MapPasskeysApi(this IEndpointRouteBuilder app)
    {
        // Bearer tokens only: the sign-in cookie never reaches this path, and JSON bodies need no antiforgery token.
        var passkeys = app.MapGroup(BasePath)
            .RequireAuthorization(policy => policy
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser())
            .DisableAntiforgery()
            .WithTags("Passkeys");
        passkeys.MapGet("/", ListAsync);
        passkeys.MapPost("/options", BeginRegistrationAsync);
        passkeys.MapPost("/", RegisterAsync);
        passkeys.MapDelete("/{id}", RemoveAsync);
        return passkeys;
    }

    public sealed record PasskeyServices(UserManager<HealthUser> Users, AccountPasskeys Passkeys, TimeProvider Time);

    public sealed record PasskeyList(IReadOnlyList<PasskeySummary> Items);

    /// <param name="Name">What the person calls it ("Телефон", "Ноутбук"); "Ключ доступа" when omitted.</param>
    /// <param name="Credential">The result of <c>navigator.credentials.create()</c>, serialized with <c>toJSON()</c>.</param>
    public sealed record RegisterPasskeyRequest(string? Name, JsonElement? Credential) : IJsonRequest<RegisterPasskeyRequest>;

    private static async Task<Results<Ok<PasskeyList>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal principal, [AsParameters] PasskeyServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        return TypedResults.Ok(new PasskeyList(await s.Passkeys.ListAsync(user, ct)));
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> BeginRegistrationAsync(
        ClaimsPrincipal principal, [AsParameters] PasskeyServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        if (!FreshSignIn.IsFresh(principal, s.Time)) return FreshSignIn.Required();
        var options = await s.Passkeys.BeginRegistrationAsync(user, http, ct);
        return TypedResults.Text(options, "application/json", Encoding.UTF8);
    }

    private static async Task<Results<Created<PasskeySummary>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        Json<RegisterPasskeyRequest> body, ClaimsPrincipal principal, [AsParameters] PasskeyServices s, HttpContext http, CancellationToken ct)
    {
        var request = body.Value;
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        if (!FreshSignIn.IsFresh(principal, s.Time)) return FreshSignIn.Required();

        var errors = new Dictionary<string, string[]>();
        var name = string.IsNullOrWhiteSpace(request.Name) ? DefaultName : request.Name.Trim();
        if (name.Length > MaxNameLength) errors["name"] = [$"Название не длиннее {MaxNameLength} символов."];
        else if (name.Any(char.IsControl)) errors["name"] = ["Название не должно содержать управляющих символов."];
        if (request.Credential is not { ValueKind: JsonValueKind.Object } credential)
            errors["credential"] = ["Передайте ответ ключа доступа (результат navigator.credentials.create()) как объект JSON."];
        else if (errors.Count == 0)
        {
            var registration = await s.Passkeys.CompleteRegistrationAsync(user, credential.GetRawText(), name, http, ct);
            switch (registration.Outcome)
            {
                case PasskeyRegistrationOutcome.Registered:
                    return TypedResults.Created($"{BasePath}/{registration.Passkey!.Id}", registration.Passkey);
                case PasskeyRegistrationOutcome.NoCeremony:
                    errors["credential"] = [NoCeremonyMessage];
                    break;
                default:
                    errors["credential"] = [RefusedMessage];
                    break;
            }
        }
        return Problems.Validation(errors);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        string id, ClaimsPrincipal principal, [AsParameters] PasskeyServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        if (!FreshSignIn.IsFresh(principal, s.Time)) return FreshSignIn.Required();
        // Someone else's passkey is answered exactly like one that does not exist.
        if (AccountPasskeys.ParseId(id) is not { } credentialId || !await s.Passkeys.RemoveAsync(user, credentialId, ct))
            return AccountProblems.NotFound(NotFoundDetail);
        return TypedResults.NoContent();
    }
}
