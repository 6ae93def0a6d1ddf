using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.ServiceDefaults.Tests.TestData;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Gosuslugi.Health.ServiceDefaults.Tests;

/// <summary>A host whose endpoint reads "medical data" behind <see cref="Policies.MedicalData"/>.</summary>
public sealed class MedicalDataFixture : IAsyncLifetime
{
    public TestTokenIssuer Issuer { get; private set; } = null!;
    public WebApplication App { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Issuer = await TestTokenIssuer.StartAsync();
        App = await TestHost.StartAsync(Issuer.Configuration.ToDictionary(), map: app =>
            app.MapGet("/record", (HttpContext c) => TypedResults.Ok(new
                {
                    sub = c.User.GetSubjectId(),
                    actor = c.User.GetActorId(),
                    delegation = c.User.GetDelegationId(),
                    acting = c.User.IsActingForSomeoneElse(),
                    sections = RecordSections.All.Where(c.User.CanReadSection).ToArray(),
                }))
                .RequireAuthorization(Policies.MedicalData));
        Client = App.GetTestClient();
    }

    public async Task<HttpResponseMessage> GetRecordAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/record");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Client.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}

public sealed class MedicalDataPolicyTests(MedicalDataFixture f) : IClassFixture<MedicalDataFixture>
{
    private static async Task<JsonElement> BodyOf(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> ProblemOf(HttpResponseMessage response, HttpStatusCode status)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = await BodyOf(response, status);
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        problem.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
        return problem;
    }

    [Fact]
    public async Task A_confirmed_patient_with_consent_reads_every_section_of_their_own_record()
    {
        var patientId = Guid.CreateVersion7();

        using var response = await f.GetRecordAsync(f.Issuer.CreatePatientToken(patientId));

        var body = await BodyOf(response, HttpStatusCode.OK);
        body.GetProperty("sub").GetGuid().ShouldBe(patientId);
        body.GetProperty("acting").GetBoolean().ShouldBeFalse();
        body.GetProperty("actor").ValueKind.ShouldBe(JsonValueKind.Null);
        body.GetProperty("sections").EnumerateArray().Select(s => s.GetString()).ShouldBe(RecordSections.All);
    }

    [Theory]
    [InlineData("simplified")]
    [InlineData("standard")]
    [InlineData(null)]
    public async Task An_unconfirmed_account_gets_a_403_problem_that_says_how_to_confirm(string? level)
    {
        using var response = await f.GetRecordAsync(f.Issuer.CreatePatientToken(Guid.CreateVersion7(), accountLevel: level));

        var problem = await ProblemOf(response, HttpStatusCode.Forbidden);
        problem.GetProperty("detail").GetString().ShouldBe(MedicalDataRequirement.AccountNotConfirmedDetail);
        problem.GetProperty("detail").GetString()!.ShouldContain("Подтвердите личность");
        problem.GetProperty("reason").GetString().ShouldBe("account_not_confirmed");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(null)]
    public async Task Without_consent_in_force_a_patient_gets_a_403_problem_that_says_how_to_give_it(bool? consent)
    {
        using var response = await f.GetRecordAsync(f.Issuer.CreatePatientToken(Guid.CreateVersion7(), consent: consent));

        var problem = await ProblemOf(response, HttpStatusCode.Forbidden);
        problem.GetProperty("detail").GetString().ShouldBe(MedicalDataRequirement.ConsentNotInForceDetail);
        problem.GetProperty("reason").GetString().ShouldBe("consent_not_in_force");
    }

    [Fact]
    public async Task A_representative_with_the_records_scope_reads_the_whole_record_of_the_represented_person()
    {
        var (principal, actor, delegation) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());

        using var response = await f.GetRecordAsync(f.Issuer.CreateDelegatedToken(principal, actor, delegation));

        var body = await BodyOf(response, HttpStatusCode.OK);
        body.GetProperty("sub").GetGuid().ShouldBe(principal);
        body.GetProperty("actor").GetGuid().ShouldBe(actor);
        body.GetProperty("delegation").GetGuid().ShouldBe(delegation);
        body.GetProperty("acting").GetBoolean().ShouldBeTrue();
        body.GetProperty("sections").EnumerateArray().Select(s => s.GetString()).ShouldBe(RecordSections.All);
    }

    [Fact]
    public async Task A_representative_with_the_limited_scope_reads_prescriptions_and_lab_results_only()
    {
        using var response = await f.GetRecordAsync(f.Issuer.CreateDelegatedToken(
            Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), scope: HealthClaims.Scopes.DelegatedLimited));

        var body = await BodyOf(response, HttpStatusCode.OK);
        body.GetProperty("sections").EnumerateArray().Select(s => s.GetString()).Order()
            .ShouldBe(new[] { RecordSections.LabResults, RecordSections.Prescriptions }.Order());
    }

    [Fact]
    public async Task An_unconfirmed_representative_gets_the_problem_that_says_how_to_confirm()
    {
        using var response = await f.GetRecordAsync(f.Issuer.CreateDelegatedToken(
            Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), accountLevel: "standard"));

        var problem = await ProblemOf(response, HttpStatusCode.Forbidden);
        problem.GetProperty("reason").GetString().ShouldBe("account_not_confirmed");
    }

    [Fact]
    public async Task A_patients_token_without_the_health_scope_gets_a_403_naming_the_scope_to_ask_for()
    {
        var confirmed = new Dictionary<string, object> { ["acc_level"] = "confirmed", ["pd_consent"] = "true" };
        using var response = await f.GetRecordAsync(f.Issuer.CreateToken(Guid.CreateVersion7().ToString(), ["patient"], ["openid"], confirmed));

        var problem = await ProblemOf(response, HttpStatusCode.Forbidden);
        problem.GetProperty("reason").GetString().ShouldBe(ScopeRequirement.MissingScopeReason);
        problem.GetProperty("requiredScope").GetString().ShouldBe("health");
        problem.GetProperty("detail").GetString()!.ShouldContain("scope=openid health");
    }

    public static TheoryData<string> NotMedicalDataTokens =>
    [
        "doctor", "admin", "organization", "acting-without-delegation",
        "acting-without-actor-sub", "acting-with-appointments-scope-only", "acting-with-own-health-scope",
    ];

    [Theory]
    [MemberData(nameof(NotMedicalDataTokens))]
    public async Task Other_tokens_are_refused_with_a_plain_403(string kind)
    {
        var sub = Guid.CreateVersion7().ToString();
        var confirmed = new Dictionary<string, object> { ["acc_level"] = "confirmed", ["pd_consent"] = "true" };
        Dictionary<string, object> Acting(object act, object? del) => new(confirmed)
        {
            ["act"] = act,
            ["del"] = del ?? TestTokenIssuer.Omit,
        };
        var actor = new Dictionary<string, string> { ["sub"] = Guid.CreateVersion7().ToString() };
        var token = kind switch
        {
            "doctor" => f.Issuer.CreateToken(sub, ["doctor"], ["health"], confirmed),
            "admin" => f.Issuer.CreateToken(sub, ["admin"], ["health"], confirmed),
            "organization" => f.Issuer.CreateToken(sub, ["medical_organization"], ["health.publish"],
                new Dictionary<string, object> { ["org_id"] = Guid.CreateVersion7().ToString() }),
            "acting-without-delegation" => f.Issuer.CreateToken(sub, ["patient"], [HealthClaims.Scopes.DelegatedRecords], Acting(actor, null)),
            "acting-without-actor-sub" => f.Issuer.CreateToken(sub, ["patient"], [HealthClaims.Scopes.DelegatedRecords],
                Acting(new Dictionary<string, string> { ["client_id"] = "web" }, Guid.CreateVersion7().ToString())),
            "acting-with-appointments-scope-only" => f.Issuer.CreateToken(sub, ["patient"], [HealthClaims.Scopes.DelegatedAppointments],
                Acting(actor, Guid.CreateVersion7().ToString())),
            // An act claim makes it someone else's token even with the owner's scope: never taken for own access.
            "acting-with-own-health-scope" => f.Issuer.CreateToken(sub, ["patient"], [HealthClaims.Scopes.Health],
                Acting(actor, Guid.CreateVersion7().ToString())),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        using var response = await f.GetRecordAsync(token);

        var problem = await ProblemOf(response, HttpStatusCode.Forbidden);
        problem.TryGetProperty("reason", out _).ShouldBeFalse();
        problem.GetProperty("detail").GetString().ShouldBe("Недостаточно прав для этого действия.");
    }

    [Fact]
    public async Task Without_a_token_it_is_401()
    {
        using var response = await f.Client.GetAsync("/record");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
