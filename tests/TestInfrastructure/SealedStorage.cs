using System.Net;
using System.Text;
using System.Text.Json;
using Shouldly;

namespace Gosuslugi.Health.TestInfrastructure;

/// <summary>Assertions about data stored sealed at rest (ServiceDefaults/Encryption), shared by the services that seal.</summary>
public static class SealedStorage
{
    /// <summary>No row, as PostgreSQL renders it (bytea as hex), holds any of <paramref name="texts"/> readable, nor its UTF-8 hex.</summary>
    public static void ShouldHoldNoReadable(IReadOnlyList<string> rows, IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            var hex = Convert.ToHexStringLower(Encoding.UTF8.GetBytes(text));
            rows.Where(row => row.Contains(text) || row.Contains(hex)).ShouldBeEmpty($"\"{text}\" is stored readable");
        }
    }

    /// <summary>
    /// A value that did not open: the 503 problem that says so, with its trace id, and nothing of the sealed content
    /// (<paramref name="sealedText"/>) in the answer.
    /// </summary>
    public static async Task ShouldBeUnreadableProblemAsync(HttpResponseMessage response, string sealedText)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(body).RootElement;
        problem.GetProperty("detail").GetString()!.ShouldContain("не удалось расшифровать");
        problem.TryGetProperty("traceId", out _).ShouldBeTrue();
        body.ShouldNotContain(sealedText);
    }
}
