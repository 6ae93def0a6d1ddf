using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gosuslugi.Health.ServiceDefaults.Http;

/// <summary>Takes X-Correlation-Id from the caller when it is sane, otherwise makes one; echoes it, logs it, traces it.</summary>
public sealed class CorrelationIdMiddleware(RequestDelegate next, ILogger<CorrelationIdMiddleware> logger)
{
    public const string HeaderName = "X-Correlation-Id";
    public const string ItemKey = "CorrelationId";
    public const string TagName = "correlation.id";

    public async Task InvokeAsync(HttpContext context)
    {
        var correlationId = IsSane(context.Request.Headers[HeaderName].ToString())
            ? context.Request.Headers[HeaderName].ToString()
            : Guid.CreateVersion7().ToString("N");

        context.Items[ItemKey] = correlationId;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = correlationId;
            return Task.CompletedTask;
        });

        var activity = Activity.Current;
        activity?.SetTag(TagName, correlationId);
        // Baggage travels with outgoing HTTP calls and MassTransit messages, so the next hop can reuse it.
        activity?.SetBaggage(TagName, correlationId);

        using (logger.BeginScope(new Dictionary<string, object> { [ItemKey] = correlationId }))
        {
            await next(context);
        }
    }

    /// <summary>Correlation ids end up in logs and headers: accept only short, plain tokens.</summary>
    public static bool IsSane(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 64) return false;
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) return false;
        }
        return true;
    }

    public static string? Get(HttpContext context) => context.Items.TryGetValue(ItemKey, out var v) ? v as string : null;
}
