using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Immunizations.Tests;

/// <summary>
/// Who may read vaccinations: a confirmed account with consent, or a representative whose delegation covers the
/// whole record; revoked tokens (sign-out, ended session, revoked delegation) stop at once.
/// </summary>
[Collection(ImmunizationsCollection.Name)]
public sealed class MedicalDataAccessTests(ImmunizationsApp app)
{
    private TokenDenyList DenyList => app.Factory.Services.GetRequiredService<TokenDenyList>();

    private async Task<(Guid PatientId, Guid ImmunizationId)> PatientWithVaccinationAsync()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        using var response = await client.PostAsJsonAsync("/api/v1/immunizations", RecordImmunizationTests.ValidBody(snils));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (patientId, (await response.ReadObjectAsync())["id"]!.GetValue<Guid>());
    }

    private static async Task<JsonObject> ShouldBeForbiddenProblemAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        text.ShouldNotContain("lotNumber");
        return (JsonNode.Parse(text) as JsonObject).ShouldNotBeNull();
    }

    private async Task<(HttpResponseMessage List, HttpResponseMessage One)> ReadBothAsync(string token, Guid immunizationId)
    {
        using var client = app.CreateClient(token);
        return (await client.GetAsync("/api/v1/immunizations"), await client.GetAsync($"/api/v1/immunizations/{immunizationId}"));
    }

    [Theory]
    [InlineData("simplified")]
    [InlineData("standard")]
    public async Task An_unconfirmed_account_is_refused_with_a_problem_that_says_how_to_confirm(string level)
    {
        var (patientId, immunizationId) = await PatientWithVaccinationAsync();

        var (list, one) = await ReadBothAsync(app.Issuer.CreatePatientToken(patientId, accountLevel: level), immunizationId);

        foreach (var response in new[] { list, one })
        {
            using (response)
            {
                var problem = await ShouldBeForbiddenProblemAsync(response);
                problem["detail"]!.GetValue<string>().ShouldBe(
                    "Медицинские данные доступны только подтверждённой учётной записи. Подтвердите личность в центре " +
                    "обслуживания или кодом подтверждения из личного кабинета.");
                problem["reason"]!.GetValue<string>().ShouldBe("account_not_confirmed");
            }
        }
    }

    [Fact]
    public async Task Withdrawn_consent_is_refused_with_a_problem_that_says_how_to_give_it_again()
    {
        var (patientId, immunizationId) = await PatientWithVaccinationAsync();

        var (list, one) = await ReadBothAsync(app.Issuer.CreatePatientToken(patientId, consent: false), immunizationId);

        foreach (var response in new[] { list, one })
        {
            using (response)
            {
                var problem = await ShouldBeForbiddenProblemAsync(response);
                problem["detail"]!.GetValue<string>().ShouldContain("Вы отозвали согласие на обработку персональных данных");
                problem["reason"]!.GetValue<string>().ShouldBe("consent_not_in_force");
            }
        }
    }

    [Fact]
    public async Task A_representative_with_the_records_scope_sees_the_represented_persons_vaccinations_only()
    {
        var (principalId, principalsVaccination) = await PatientWithVaccinationAsync();
        var (actorId, actorsOwnVaccination) = await PatientWithVaccinationAsync();
        var token = app.Issuer.CreateDelegatedToken(principalId, actorId, Guid.CreateVersion7());

        var (list, one) = await ReadBothAsync(token, principalsVaccination);
        using (list)
        using (one)
        {
            list.StatusCode.ShouldBe(HttpStatusCode.OK);
            var items = (await list.ReadObjectAsync())["items"]!.AsArray();
            items.Select(i => i!["id"]!.GetValue<Guid>()).ShouldBe([principalsVaccination]);
            items.ShouldAllBe(i => i!["patientId"]!.GetValue<Guid>() == principalId);
            one.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await one.ReadObjectAsync())["patientId"]!.GetValue<Guid>().ShouldBe(principalId);
        }

        // The representative's own record is not reachable with the token that acts for someone else.
        using var client = app.CreateClient(token);
        using var actorsOwn = await client.GetAsync($"/api/v1/immunizations/{actorsOwnVaccination}");
        actorsOwn.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_representative_with_the_limited_scope_is_refused_vaccinations()
    {
        var (principalId, immunizationId) = await PatientWithVaccinationAsync();
        var token = app.Issuer.CreateDelegatedToken(principalId, Guid.CreateVersion7(), Guid.CreateVersion7(),
            scope: HealthClaims.Scopes.DelegatedLimited);

        var (list, one) = await ReadBothAsync(token, immunizationId);

        foreach (var response in new[] { list, one })
        {
            using (response)
            {
                var problem = await ShouldBeForbiddenProblemAsync(response);
                problem["reason"]!.GetValue<string>().ShouldBe(AccessProblems.SectionNotDelegatedReason);
                problem["detail"]!.GetValue<string>().ShouldBe(AccessProblems.SectionNotDelegatedDetail);
            }
        }
    }

    [Fact]
    public async Task An_unconfirmed_representative_is_refused()
    {
        var (principalId, immunizationId) = await PatientWithVaccinationAsync();
        var token = app.Issuer.CreateDelegatedToken(principalId, Guid.CreateVersion7(), Guid.CreateVersion7(), accountLevel: "standard");

        var (list, one) = await ReadBothAsync(token, immunizationId);

        using (list) (await ShouldBeForbiddenProblemAsync(list))["reason"]!.GetValue<string>().ShouldBe("account_not_confirmed");
        using (one) (await ShouldBeForbiddenProblemAsync(one))["reason"]!.GetValue<string>().ShouldBe("account_not_confirmed");
    }

    [Fact]
    public async Task Another_persons_representative_sees_nothing_of_this_patient()
    {
        var (_, immunizationId) = await PatientWithVaccinationAsync();
        var token = app.Issuer.CreateDelegatedToken(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());

        var (list, one) = await ReadBothAsync(token, immunizationId);
        using (list)
        using (one)
        {
            one.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            list.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await list.ReadObjectAsync())["items"]!.AsArray().ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task A_signed_out_token_is_401_at_once()
    {
        var (patientId, immunizationId) = await PatientWithVaccinationAsync();
        var token = app.Issuer.CreatePatientToken(patientId);
        using var client = app.CreateClient(token);
        (await client.GetAsync($"/api/v1/immunizations/{immunizationId}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var claims = TestTokenIssuer.ReadPayload(token);
        await DenyList.DenyTokenAsync(claims["jti"]!.GetValue<string>(),
            DateTimeOffset.FromUnixTimeSeconds(claims["exp"]!.GetValue<long>()), CancellationToken.None);

        using var after = await client.GetAsync($"/api/v1/immunizations/{immunizationId}");
        after.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await after.Content.ReadAsStringAsync()).ShouldNotContain("lotNumber");
        // A new token of the same person still works.
        using var fresh = app.CreateClient(app.Issuer.CreatePatientToken(patientId));
        (await fresh.GetAsync($"/api/v1/immunizations/{immunizationId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Every_token_of_an_ended_session_is_401()
    {
        var (patientId, immunizationId) = await PatientWithVaccinationAsync();
        var session = Guid.CreateVersion7();
        var tokens = new[] { app.Issuer.CreatePatientToken(patientId, sessionId: session), app.Issuer.CreatePatientToken(patientId, sessionId: session) };

        await DenyList.DenySessionAsync(session, CancellationToken.None);

        foreach (var token in tokens)
        {
            using var client = app.CreateClient(token);
            (await client.GetAsync($"/api/v1/immunizations/{immunizationId}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        using var otherSession = app.CreateClient(app.Issuer.CreatePatientToken(patientId, sessionId: Guid.CreateVersion7()));
        (await otherSession.GetAsync($"/api/v1/immunizations/{immunizationId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_revoked_delegation_stops_its_tokens_at_once()
    {
        var (principalId, immunizationId) = await PatientWithVaccinationAsync();
        var delegation = Guid.CreateVersion7();
        using var client = app.CreateClient(app.Issuer.CreateDelegatedToken(principalId, Guid.CreateVersion7(), delegation));
        (await client.GetAsync("/api/v1/immunizations")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await DenyList.DenyDelegationAsync(delegation, CancellationToken.None);

        using var list = await client.GetAsync("/api/v1/immunizations");
        list.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var one = await client.GetAsync($"/api/v1/immunizations/{immunizationId}");
        one.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Alg_none_and_wrong_audience_tokens_of_a_confirmed_patient_are_401()
    {
        var (patientId, immunizationId) = await PatientWithVaccinationAsync();
        var tokens = new[]
        {
            app.Issuer.CreateUnsignedToken(patientId.ToString()),
            app.Issuer.CreateTokenWithWrongAudience(patientId.ToString()),
        };

        foreach (var token in tokens)
        {
            using var client = app.CreateClient(token);
            using var response = await client.GetAsync($"/api/v1/immunizations/{immunizationId}");
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await response.Content.ReadAsStringAsync()).ShouldNotContain("lotNumber");
        }
    }
}
