using System.Net;
using System.Text;
using System.Text.Json;

namespace Gosuslugi.Health.ServiceDefaults.Tests;

/// <summary>Json&lt;T&gt;: the one way a service reads a JSON body, with its validation filter.</summary>
public sealed class JsonBodyTests(HttpDefaultsFixture f) : IClassFixture<HttpDefaultsFixture>
{
    [Fact]
    public async Task A_good_body_reaches_the_handler()
    {
        using var response = await PostAsync("/typed", """{"name":"Мария","on":"2026-12-01"}""", "application/json");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Мария");
    }

    [Fact]
    public async Task Another_content_type_is_a_415_problem()
    {
        using var response = await PostAsync("/typed", "name=x", "text/plain");

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData("""{"name":""", "body", null)]
    [InlineData("""{"name":"x","on":"1 декабря"}""", "on", "Дата указывается в формате ГГГГ-ММ-ДД.")]
    [InlineData("""{"name":42}""", "name", null)]
    [InlineData("null", "body", null)]
    public async Task A_bad_body_is_a_validation_problem_naming_the_field(string body, string field, string? message)
    {
        using var response = await PostAsync("/typed", body, "application/json");

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        errors.TryGetProperty(field, out var messages).ShouldBeTrue(text);
        if (message is not null) messages[0].GetString().ShouldBe(message);
    }

    [Fact]
    public async Task An_optional_body_may_be_left_out()
    {
        using var without = await f.Client.PostAsync("/optional", null);
        using var with = await PostAsync("/optional", """{"name":"Мария"}""", "application/json");

        without.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await without.Content.ReadAsStringAsync()).ShouldContain("no body");
        (await with.Content.ReadAsStringAsync()).ShouldContain("Мария");
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string body, string contentType) =>
        await f.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));
}
