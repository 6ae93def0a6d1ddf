using System.Net;
using System.Text.Json;
using Gosuslugi.Health.TestInfrastructure;

namespace Gosuslugi.Health.Identity.Tests;

/// <summary>
/// U+0000 (PostgreSQL refuses it in text) and invalid UTF-8 in any text field of any JSON route, and U+0000 in the
/// sign-in and token forms, are a 400 problem naming the field, never a 500. The check runs before authentication,
/// so an anonymous client sees the same answer as one with the right token.
/// </summary>
public sealed class MalformedTextTests(IdentityServiceFixture fixture) : IdentityTest(fixture)
{
    [Fact]
    public async Task Every_text_field_of_every_json_route_refuses_nul_and_invalid_utf8_by_name()
    {
        using var client = Fixture.CreateClient();
        var routes = MalformedTextProbe.BodyRoutes(Fixture.Factory.Services);

        var failures = await MalformedTextProbe.ProbeAsync(routes, _ => client);

        routes.ShouldNotBeEmpty();
        failures.ShouldBeEmpty(string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [InlineData("/connect/authorize", "username")]
    [InlineData("/connect/authorize", "password")]
    [InlineData("/connect/token", "client_id")]
    public async Task A_form_field_with_nul_is_a_400_naming_it(string path, string field)
    {
        using var client = Fixture.CreateClient();
        using var content = new ByteArrayContent(MalformedTextProbe.Body("application/x-www-form-urlencoded", field, "a\u0000b"));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");

        using var response = await client.PostAsync(path, content);

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(text);
    }
}
