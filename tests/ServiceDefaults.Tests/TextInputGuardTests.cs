using System.Net;
using System.Text;
using System.Text.Json;
using Gosuslugi.Health.ServiceDefaults.Http;

namespace Gosuslugi.Health.ServiceDefaults.Tests;

/// <summary>Text PostgreSQL cannot store, or that is not UTF-8, is a 400 naming the field before any endpoint runs.</summary>
public sealed class TextInputGuardTests(HttpDefaultsFixture f) : IClassFixture<HttpDefaultsFixture>
{
    [Theory]
    [InlineData("""{"name":"a\u0000b"}""", "name")]
    [InlineData("""{"items":[{"code":"x"},{"code":"\u0000"}]}""", "items[1].code")]
    [InlineData("""{"subject":{"identifier":{"value":"1\u0000"}}}""", "subject.identifier.value")]
    [InlineData("""{"a":{"b":1},"c":["ok","\u0000"]}""", "c[1]")]
    [InlineData("""{"bad\u0000name":"x"}""", "body")]
    [InlineData("""{"s":"\ud800"}""", "s")]
    [InlineData("\"\\u0000\"", "body")]
    public void Finds_the_path_of_the_first_bad_string(string json, string path)
    {
        var found = TextInputGuard.FindInvalidText(Encoding.UTF8.GetBytes(json));

        found.ShouldNotBeNull();
        found.Value.Path.ShouldBe(path);
    }

    [Fact]
    public void Finds_invalid_utf8_and_lets_good_or_broken_json_pass()
    {
        TextInputGuard.FindInvalidText([.. "{\"name\":\""u8, 0xC3, 0x28, .. "\"}"u8])!.Value.ShouldBe(("name", TextInputGuard.EncodingMessage));
        TextInputGuard.FindInvalidText("""{"name":"Иванова \"М\" \n","n":[1,2,{"x":null}]}"""u8).ShouldBeNull();
        TextInputGuard.FindInvalidText("""{"name":"""u8).ShouldBeNull();
    }

    [Fact]
    public async Task A_json_body_with_nul_or_invalid_utf8_is_a_400_naming_the_field_and_a_good_one_passes()
    {
        using var nul = await PostAsync("/echo", Encoding.UTF8.GetBytes("""{"name":"ok","items":[{"code":"a\u0000"}]}"""), "application/json");
        await ShouldNameAsync(nul, "items[0].code");

        using var utf8 = await PostAsync("/echo", [.. "{\"name\":\""u8, 0xFF, .. "\"}"u8], "application/json");
        await ShouldNameAsync(utf8, "name");

        using var fhir = await PostAsync("/echo", [.. "{\"name\":\""u8, 0xC3, 0x28, .. "\"}"u8], "application/fhir+json");
        fhir.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using var good = await PostAsync("/echo", Encoding.UTF8.GetBytes("""{"name":"Мария","items":[{"code":"J06.9"}]}"""), "application/json");
        good.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await good.Content.ReadAsStringAsync()).ShouldContain("Мария");
    }

    [Fact]
    public async Task A_form_field_or_query_value_with_nul_is_a_400_naming_it()
    {
        using var form = await PostAsync("/form", Encoding.UTF8.GetBytes("name=a%00b"), "application/x-www-form-urlencoded");
        await ShouldNameAsync(form, "name");

        using var goodForm = await PostAsync("/form", Encoding.UTF8.GetBytes("name=%D0%90"), "application/x-www-form-urlencoded");
        goodForm.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var query = await f.Client.GetAsync("/search?q=a%00b");
        await ShouldNameAsync(query, "q");
    }

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return await f.Client.PostAsync(path, content);
    }

    private static async Task ShouldNameAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(text);
    }
}
