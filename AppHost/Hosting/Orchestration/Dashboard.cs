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
        app.MapGet("/api/messages", () => TypedResults.Json(OutgoingMessages.Newest(host.MailboxDirectory, MessagesShown), JsonOptions.Web));
        app.MapGet("/", () => TypedResults.Content(
            RenderHtml(host.Snapshot(), OutgoingMessages.Newest(host.MailboxDirectory, MessagesShown)), "text/html; charset=utf-8"));
        await app.StartAsync();
        return new Dashboard(app, url);
    }

    private const int MessagesShown = 30;

    private static string RenderHtml(IEnumerable<ResourceSnapshot> resources, IReadOnlyList<OutgoingMessage> messages)
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
        html.Append("</table>");
        // What the development SMS, push and e-mail providers would have sent: sign-in codes, notifications.
        html.Append("<h2>Outgoing messages (development providers)</h2><p>JSON: <a href=\"/api/messages\">/api/messages</a>. Newest first.</p>")
            .Append("<table><tr><th>At (UTC)</th><th>Channel</th><th>To</th><th>Subject</th><th>Text</th><th>From</th></tr>\n");
        foreach (var m in messages)
        {
            html.Append("<tr><td>").Append(E(m.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)))
                .Append("</td><td>").Append(E(m.Channel)).Append("</td><td>").Append(E(m.Destination))
                .Append("</td><td>").Append(E(m.Subject)).Append("</td><td>").Append(E(m.Text))
                .Append("</td><td>").Append(E(m.Source)).Append("</td></tr>\n");
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
