using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gosuslugi.Health.Hosting;

/// <summary>
/// The ops dashboard: an auto-refreshing HTML page of every resource (type, state, pids, endpoints,
/// health, last log lines) and the same data as JSON at /api/resources.
/// </summary>
internal sealed class Dashboard : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Dashboard(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<Dashboard> StartAsync(DistributedApplicationHost host, int port)
    {
        var url = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/api/resources", () => TypedResults.Json(host.Snapshot(), JsonOptions.Web));
        app.MapGet("/", () => TypedResults.Content(RenderHtml(host.Snapshot()), "text/html; charset=utf-8"));
        await app.StartAsync();
        return new Dashboard(app, url);
    }

    private static string RenderHtml(IEnumerable<ResourceSnapshot> resources)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var html = new StringBuilder("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">
            <title>Gosuslugi.Health — AppHost</title>
            <style>body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse;width:100%}
            td,th{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
            .Healthy{color:#070}.Unhealthy{color:#b00}.Unknown{color:#888}pre{margin:0;max-height:14rem;overflow:auto;
            background:#f6f6f6;font-size:12px;white-space:pre-wrap}details summary{cursor:pointer}</style></head><body>
            <h1>Gosuslugi.Health — resources</h1><p>JSON: <a href="/api/resources">/api/resources</a>. Refreshes every 3 s.</p>
            <table><tr><th>Name</th><th>Type</th><th>State</th><th>PID</th><th>Endpoints</th><th>Health</th><th>Logs</th></tr>
            """);
        foreach (var r in resources)
        {
            html.Append("<tr><td><b>").Append(E(r.Name)).Append("</b></td><td>").Append(E(r.Type))
                .Append("</td><td>").Append(E(r.State)).Append(r.ExitCode is { } code ? $" (exit {code})" : "")
                .Append("</td><td>").Append(string.Join(", ", r.Pids))
                .Append("</td><td>").Append(string.Join("<br>", r.Endpoints.Select(e => e.StartsWith("http", StringComparison.Ordinal) ? $"<a href=\"{E(e)}\">{E(e)}</a>" : E(e))))
                .Append("</td><td class=\"").Append(E(r.Health)).Append("\">").Append(E(r.Health))
                .Append(r.HealthDetail is null ? "" : $"<br><small>{E(r.HealthDetail)}</small>")
                .Append("</td><td><details><summary>").Append(r.Logs.Count).Append(" lines</summary><pre>")
                .Append(E(string.Join('\n', r.Logs))).Append("</pre></details></td></tr>\n");
        }
        html.Append("</table></body></html>");
        return html.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
