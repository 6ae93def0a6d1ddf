using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Identity.Accounts;

/// <summary>Anonymous registration: <c>/api/v1/account/registrations</c>.</summary>
public static class RegistrationApi
{
    public const string BasePath = "/api/v1/account/registrations";

    public const string NotFoundDetail = "Заявка на регистрацию не найдена или устарела (она действует 30 минут). Начните регистрацию заново.";
    public const string ContactTakenDetail =
        "Учётная запись с этим номером телефона или адресом почты уже есть. Войдите в неё или восстановите пароль.";

    public static RouteGroupBuilder MapRegistrationApi(this IEndpointRouteBuilder app)
    {
        var registrations = app.MapGroup(BasePath).AllowAnonymous().DisableAntiforgery().WithTags("Registration");
        registrations.MapPost("/", StartAsync);
        registrations.MapPost("/{id:guid}/codes", ResendAsync);
        registrations.MapPost("/{id:guid}/confirmation", ConfirmAsync);
        return registrations;
    }

    private static async Task<Results<Accepted<RegistrationStarted>, ValidationProblem, ProblemHttpResult>> StartAsync(
        Json<RegistrationRequest> body, Registrations registrations, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        var result = await registrations.StartAsync(body.Value, ct);
        return result.Outcome switch
        {
            RegistrationOutcome.Started => TypedResults.Accepted($"{BasePath}/{result.Started!.RegistrationId}", result.Started),
            RegistrationOutcome.Throttled => AccountProblems.Throttled(http, result.RetryAfter),
            _ => Problems.Validation(result.Errors!),
        };
    }

    private static async Task<Results<Accepted<RegistrationStarted>, ValidationProblem, ProblemHttpResult>> ResendAsync(
        Guid id, Json<ResendCodeRequest> body, Registrations registrations, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        var result = await registrations.ResendAsync(id, body.Value.Channel, ct);
        return result.Outcome switch
        {
            RegistrationOutcome.Started => TypedResults.Accepted($"{BasePath}/{id}", result.Started),
            RegistrationOutcome.Throttled => AccountProblems.Throttled(http, result.RetryAfter),
            RegistrationOutcome.NotFound => AccountProblems.NotFound(NotFoundDetail),
            _ => Problems.Validation(result.Errors!),
        };
    }

    private static async Task<Results<Created<RegisteredAccount>, ValidationProblem, ProblemHttpResult>> ConfirmAsync(
        Guid id, Json<RegistrationConfirmation> body, Registrations registrations, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        var result = await registrations.ConfirmAsync(id, body.Value, ct);
        return result.Outcome switch
        {
            RegistrationOutcome.Registered => TypedResults.Created(ProfileApi.BasePath, result.Account),
            RegistrationOutcome.NotFound => AccountProblems.NotFound(NotFoundDetail),
            RegistrationOutcome.ContactTaken => AccountProblems.Conflict(ContactTakenDetail, "contact_taken"),
            _ => Problems.Validation(result.Errors!),
        };
    }
}
