using System.Globalization;
using System.Net;
using System.Text;

namespace Gosuslugi.Health.DevMailbox;

internal static class MailboxPage
{
    public static string Render(string directory, IReadOnlyList<OutgoingMessage> messages)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var html = new StringBuilder("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
            <title>Gosuslugi.Health — development mailbox</title>
            <style>body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse;width:100%}
            td,th{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
            td.text{white-space:pre-wrap}</style></head><body>
            <h1>Outgoing messages (development providers)</h1>
            """);
        html.Append("<p>From <code>").Append(E(directory)).Append("</code>. Nothing here was really sent. Newest first; JSON: <a href=\"/api/messages\">/api/messages</a>.</p>")
            .Append("<table><tr><th>At (UTC)</th><th>Channel</th><th>To</th><th>Subject</th><th>Text</th><th>From</th></tr>\n");
        foreach (var m in messages)
        {
            html.Append("<tr><td>").Append(E(m.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)))
                .Append("</td><td>").Append(E(m.Channel)).Append("</td><td>").Append(E(m.Destination))
                .Append("</td><td>").Append(E(m.Subject)).Append("</td><td class=\"text\">").Append(E(m.Text))
                .Append("</td><td>").Append(E(m.Source)).Append("</td></tr>\n");
        }
        return html.Append("</table></body></html>").ToString();
    }
}
