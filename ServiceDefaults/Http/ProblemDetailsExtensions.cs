using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gosuslugi.Health.ServiceDefaults.Http;

internal static class ProblemDetailsExtensions
{
    public static IHostApplicationBuilder AddServiceProblemDetails(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Extensions["traceId"] = TraceId(context.HttpContext);
            var correlationId = CorrelationIdMiddleware.Get(context.HttpContext);
            if (correlationId is not null) problem.Extensions["correlationId"] = correlationId;
            if (problem.Status == StatusCodes.Status401Unauthorized) problem.Detail ??= "Требуется действительный токен доступа.";
            if (problem.Status == StatusCodes.Status403Forbidden) problem.Detail ??= "Недостаточно прав для этого действия.";
            if (problem.Status == StatusCodes.Status404NotFound) problem.Detail ??= "Ресурс не найден.";
            // Routing refuses a body whose declared type the endpoint does not accept (Json<T> accepts JSON only).
            if (problem.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                if (problem.Title is null or "Unsupported Media Type") problem.Title = JsonBody.UnsupportedMediaTypeTitle;
                problem.Detail ??= JsonBody.UnsupportedMediaTypeDetail;
            }
        });
        builder.Services.AddExceptionHandler<UnhandledExceptionHandler>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeveloperPageExceptionFilter, ProblemsOnDeveloperPage>());
        return builder;
    }

    public static string TraceId(HttpContext context) =>
        Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier;
}

/// <summary>
/// In Development ASP.NET Core puts its developer exception page inside our exception handler, so a fault would be
/// answered with its stack trace (through the gateway, to any client of a development system) and an unavailable HSM
/// or unreadable data with a 500 instead of a 503. Faults get the same problem in every environment.
/// </summary>
internal sealed class ProblemsOnDeveloperPage(IEnumerable<IExceptionHandler> handlers) : IDeveloperPageExceptionFilter
{
    public async Task HandleExceptionAsync(ErrorContext errorContext, Func<ErrorContext, Task> next)
    {
        foreach (var handler in handlers)
        {
            if (await handler.TryHandleAsync(errorContext.HttpContext, errorContext.Exception, errorContext.HttpContext.RequestAborted)) return;
        }
        await next(errorContext);
    }
}

/// <summary>Logs an unhandled exception with its trace id and answers a 500 problem that reveals nothing internal.</summary>
internal sealed class UnhandledExceptionHandler(IProblemDetailsService problems, ILogger<UnhandledExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException bad)
        {
            // Malformed input found by the framework (bad JSON, too large body): the client's fault, not ours.
            logger.LogInformation("Bad request {Method} {Path}: {Reason}", httpContext.Request.Method, httpContext.Request.Path, bad.Message);
            httpContext.Response.StatusCode = bad.StatusCode;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = new ProblemDetails { Status = bad.StatusCode, Title = "Bad request", Detail = "Некорректный запрос." },
            });
        }

        if (exception is Hsm.HsmUnavailableException)
        {
            // Keys are unreachable (HSM down, token missing, wrong PIN): nothing was signed or decrypted, and nothing
            // made up instead; the client may try again later.
            httpContext.Response.Headers.RetryAfter = "30";
            return await UnavailableAsync(httpContext, exception, "HSM unavailable",
                "Cryptographic keys are unavailable",
                "Хранилище ключей временно недоступно. Повторите попытку через несколько минут.");
        }

        if (exception is Encryption.PatientDataUnreadableException)
        {
            // Stored medical data that does not open with its patient's key (missing or wrong key, changed bytes): no
            // content is shown rather than garbage, and operators get the error with its trace id.
            return await UnavailableAsync(httpContext, exception, "Patient data unreadable",
                "Stored data cannot be decrypted",
                "Медицинские данные временно недоступны: не удалось расшифровать их ключом пациента. Мы уже знаем о проблеме; повторите попытку позже.");
        }

        logger.LogError(exception, "Unhandled exception on {Method} {Path}, trace id {TraceId}",
            httpContext.Request.Method, httpContext.Request.Path, ProblemDetailsExtensions.TraceId(httpContext));

        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = null, // never serialize the exception
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Type = "https://tools.ietf.org/html/rfc9110#section-15.6.1",
                Title = "An unexpected error occurred",
                Detail = "Произошла внутренняя ошибка. Попробуйте позже; если ошибка повторится, сообщите в поддержку её идентификатор.",
            },
        });
    }

    /// <summary>Logs <paramref name="exception"/> with the trace id and answers a 503 problem that names no internals.</summary>
    private async ValueTask<bool> UnavailableAsync(HttpContext httpContext, Exception exception, string logPrefix, string title, string detail)
    {
        logger.LogError(exception, "{Failure} on {Method} {Path}, trace id {TraceId}", logPrefix,
            httpContext.Request.Method, httpContext.Request.Path, ProblemDetailsExtensions.TraceId(httpContext));
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
                Title = title,
                Detail = detail,
            },
        });
    }
}
