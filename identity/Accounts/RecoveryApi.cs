using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Identity.Accounts;

/// <summary>Anonymous password recovery: <c>/api/v1/account/recovery</c>.</summary>
public static class RecoveryApi
{
    public const string BasePath = "/api/v1/account/recovery";

    public const string NotFoundDetail = "Восстановление не найдено или устарело (оно действует 15 минут). Начните заново.";

    public static RouteGroupBuilder MapRecoveryApi(this IEndpointRouteBuilder app)
    {
        var recovery = app.MapGroup(BasePath).AllowAnonymous().DisableAntiforgery().WithTags("Recovery");
        recovery.MapPost("/", StartAsync);
        recovery.MapPost("/{id:guid}/verification", VerifyAsync);
        recovery.MapPost("/{id:guid}/password", SetPasswordAsync);
        return recovery;
    }

    private static async Task<Results<Accepted<RecoveryStarted>, ValidationProblem>> StartAsync(
        Json<RecoveryRequest> body, PasswordRecovery recovery, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        var result = await recovery.StartAsync(body.Value.Login, ct);
        return result.Outcome == RecoveryOutcome.Started
            ? TypedResults.Accepted($"{BasePath}/{result.Started!.RecoveryId}", result.Started)
            : Problems.Validation(result.Errors!);
    }

    private static async Task<Results<Ok<RecoveryVerified>, ValidationProblem, ProblemHttpResult>> VerifyAsync(
        Guid id, Json<RecoveryVerificationRequest> body, PasswordRecovery recovery, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        var result = await recovery.VerifyAsync(id, body.Value, ct);
        return result.Outcome switch
        {
            RecoveryOutcome.Verified => TypedResults.Ok(result.Verified),
            RecoveryOutcome.NotFound => AccountProblems.NotFound(NotFoundDetail),
            _ => Problems.Validation(result.Errors!),
        };
    }

    private static async Task<Results<NoContent, ValidationProblem>> SetPasswordAsync(
        Guid id, Json<RecoveryPasswordRequest> body, PasswordRecovery recovery, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        var result = await recovery.SetPasswordAsync(id, body.Value, ct);
        return result.Outcome == RecoveryOutcome.PasswordSet ? TypedResults.NoContent() : Problems.Validation(result.Errors!);
    }
}
