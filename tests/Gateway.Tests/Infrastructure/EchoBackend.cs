using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gosuslugi.Health.Gateway.Tests.Infrastructure;

/// <summary>What a stand-in service received, as it reports it back.</summary>
public sealed record EchoedRequest(string Service, string Method, string PathAndQuery, Dictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A tiny service on 127.0.0.1:0 that answers every request with what it received (path, query, headers).
/// <c>?delay=ms</c> makes it wait first, to provoke gateway timeouts; <c>?status=403</c> answers that status with
/// an empty body, <c>?status=409&amp;problem=1</c> with a problem body of its own.
/// </summary>
public sealed class EchoBackend : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ConcurrentQueue<EchoedRequest> _received = new();

    EchoBackend(WebApplication app, string service)
    {
        _app = app;
        Service = service;
    }

    public string Service { get; }
    public string Url => _app.Urls.Single();
    public IReadOnlyCollection<EchoedRequest> Received => _received;

    public static async Task<EchoBackend> StartAsync(string service)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var backend = new EchoBackend(app, service);
        app.Run(backend.HandleAsync);
        await app.StartAsync();
        return backend;
    }

    async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var echoed = new EchoedRequest(
            Service,
            request.Method,
            request.Path.Value + request.QueryString.Value,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        _received.Enqueue(echoed);

        if (int.TryParse(request.Query["delay"], out var delay))
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        if (int.TryParse(request.Query["status"], out var status))
        {
            context.Response.StatusCode = status;
            if (request.Query.ContainsKey("problem"))
            {
                await context.Response.WriteAsJsonAsync(new { status, title = "Conflict", detail = $"from {Service}" },
                    options: null, contentType: "application/problem+json", context.RequestAborted);
            }

            return;
        }

        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, echoed, cancellationToken: context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
