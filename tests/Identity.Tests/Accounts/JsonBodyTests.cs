using Gosuslugi.Health.ServiceDefaults;
using System.Net;
using System.Text;

namespace Gosuslugi.Health.Identity.Tests.Accounts;

/// <summary>
/// Identity reads its JSON bodies the one way every service does (ServiceDefaults' Json&lt;T&gt;): a body of another
/// content type is a 415 problem, a broken or mistyped one a 400 validation problem naming the field, before the handler
/// runs (so nothing changes).
/// </summary>
public sealed class JsonBodyTests(IdentityServiceFixture fixture) : AccountTest(fixture)
{
    public enum Caller { Anonymous, Patient, Admin }

    private const string Lock = "/api/v1/admin/accounts/{PATIENT}/lock";

    /// <summary>A declared type other than JSON is refused by routing; a body without any type, by Json&lt;T&gt; in Russian.</summary>
    public static TheoryData<Caller, string, string?> OtherContentTypes => new()
    {
        { Caller.Anonymous, "POST " + Registrations, null },
        { Caller.Patient, "POST " + Consent, null },
        { Caller.Admin, "PUT /api/v1/admin/accounts/{PATIENT}/roles", null },
        { Caller.Anonymous, "POST " + Registrations, "text/plain" },
        { Caller.Anonymous, "POST " + Recovery, "application/x-www-form-urlencoded" },
        { Caller.Patient, "PUT /api/v1/account/contacts/phone", "application/x-www-form-urlencoded" },
        { Caller.Patient, "PUT " + Profile + "/documents", "text/plain" },
        { Caller.Patient, "POST /api/v1/account/totp/confirmation", "text/plain" },
        { Caller.Admin, "POST " + Lock, "text/plain" },
    };

    [Theory]
    [MemberData(nameof(OtherContentTypes))]
    public async Task A_body_of_another_content_type_is_a_415_problem(Caller caller, string route, string? contentType)
    {
        using var response = await SendAsync(caller, route, """{"code":"123456"}""", contentType);

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        // Whether the endpoint (no content type) or routing (another declared type) refused it, the caller reads why.
        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        problem.GetProperty("title").GetString().ShouldBe(JsonBody.UnsupportedMediaTypeTitle);
        problem.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("JSON");
    }

    public static TheoryData<Caller, string, string, string, string?> BadBodies => new()
    {
        { Caller.Anonymous, "POST " + Registrations, """{"familyName":"Иванова",""", "body", null },
        { Caller.Anonymous, "POST " + Registrations, """{"birthDate":"17.05.1990"}""", "birthDate", RequestFormats.Date("Дата рождения") },
        { Caller.Anonymous, "POST " + Registrations, """{"personalDataConsent":"да"}""", "personalDataConsent", null },
        { Caller.Anonymous, "POST " + Recovery, """{"login":79001234567}""", "login", null },
        { Caller.Anonymous, "POST " + Recovery, "null", "body", null },
        { Caller.Patient, "PUT /api/v1/account/contacts/phone", """{"phone":79001234567}""", "phone", null },
        { Caller.Patient, "PUT " + Profile + "/documents", """{"passport":{"series":"4510","number":"123456","issuedOn":"вчера"}}""",
            "passport.issuedOn", RequestFormats.Date("Дата выдачи паспорта") },
        { Caller.Patient, "POST " + Consent, """["2026-1"]""", "body", null },
        { Caller.Patient, "POST /api/v1/account/totp/confirmation", """{"code":123456}""", "code", null },
        { Caller.Admin, "POST " + Lock, """{"until":"завтра","reason":"проверка"}""", "until", RequestFormats.Moment("Момент окончания блокировки") },
        { Caller.Admin, "PUT /api/v1/admin/accounts/{PATIENT}/roles", """{"roles":"patient"}""", "roles", null },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_broken_or_mistyped_body_is_a_validation_problem_naming_the_field(
        Caller caller, string route, string body, string field, string? message)
    {
        using var response = await SendAsync(caller, route, body, "application/json");

        var errors = await ValidationErrorsAsync(response);
        errors.TryGetProperty(field, out var messages).ShouldBeTrue(errors.ToString());
        if (message is not null) messages[0].GetString().ShouldBe(message);
    }

    private async Task<HttpResponseMessage> SendAsync(Caller caller, string route, string body, string? contentType)
    {
        var (method, path) = (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..].Replace("{PATIENT}", Demo.Patient.UserId.ToString()));
        using var http = caller switch
        {
            Caller.Patient => await ClientAsync(Demo.Patient.UserId),
            Caller.Admin => await AdminClientAsync(),
            _ => Fixture.CreateClient(),
        };
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
        };
        if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return await http.SendAsync(request);
    }
}
