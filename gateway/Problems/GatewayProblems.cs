using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Yarp.ReverseProxy.Transforms;

namespace Gosuslugi.Health.Gateway.Problems;

/// <summary>
/// Russian details for the answers the gateway produces itself. ServiceDefaults' status-code pages turn every
/// empty error response (401 from the token check, 502/504 from YARP, ...) into an RFC 9457 problem with the
/// trace id; the gateway only adds what a patient should read, never the exception or the destination.
/// </summary>
public static class GatewayProblems
{
    public const string ServiceUnavailable = "Сервис временно недоступен. Повторите попытку позже.";

    public static string? DetailFor(int? status) => status switch
    {
        StatusCodes.Status401Unauthorized => "Требуется вход: токен доступа отсутствует, недействителен или истёк.",
        StatusCodes.Status403Forbidden => "Недостаточно прав для выполнения этого запроса.",
        StatusCodes.Status404NotFound => "Запрошенный адрес не найден.",
        StatusCodes.Status405MethodNotAllowed => "Этот метод не поддерживается для данного адреса.",
        StatusCodes.Status413PayloadTooLarge => "Слишком большой запрос.",
        StatusCodes.Status429TooManyRequests => "Слишком много запросов. Повторите попытку немного позже.",
        StatusCodes.Status502BadGateway or StatusCodes.Status503ServiceUnavailable => ServiceUnavailable,
        StatusCodes.Status504GatewayTimeout => "Сервис не ответил вовремя. Повторите попытку позже.",
        >= 500 => "Внутренняя ошибка. Повторите попытку позже.",
        >= 400 => "Запрос не может быть выполнен.",
        _ => null,
    };

    /// <summary>Runs after ServiceDefaults' customization, which fills traceId, correlationId and some details.</summary>
    public static void Customize(ProblemDetailsOptions options)
    {
        var defaults = options.CustomizeProblemDetails;
        options.CustomizeProblemDetails = context =>
        {
            defaults?.Invoke(context);
            context.ProblemDetails.Detail ??= DetailFor(context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode);
        };
    }

    /// <summary>
    /// A service's error without a body (a bare 401/403 from its own token check, say) is dropped here and left
    /// to the status-code pages, so that clients get the same problem shape whichever side refused them.
    /// Errors that carry a body (a validation problem, an OAuth error) pass through untouched.
    /// </summary>
    public static ValueTask ReplaceEmptyServiceErrors(ResponseTransformContext transform)
    {
        var response = transform.HttpContext.Response;
        if (response.StatusCode >= 400
            && transform.ProxyResponse?.Content.Headers.ContentLength == 0
            && !HttpMethods.IsHead(transform.HttpContext.Request.Method))
        {
            transform.SuppressResponseBody = true;
            response.ContentLength = null;
            response.Headers.ContentType = default;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Writes a problem body for the current status code (used where the gateway answers by itself).</summary>
    public static async ValueTask WriteAsync(HttpContext context, string? detail = null)
    {
        var response = context.Response;
        var problem = new ProblemDetails
        {
            Status = response.StatusCode,
            Title = ReasonPhrases.GetReasonPhrase(response.StatusCode),
            Detail = detail ?? DetailFor(response.StatusCode),
        };

        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            // The writers decline only when the client's Accept excludes JSON; a problem is still the right body.
            problem.Extensions["traceId"] = Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier;
            await response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json", context.RequestAborted);
        }
    }
}
