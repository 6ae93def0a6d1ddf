using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Tests.Passkeys;
using Gosuslugi.Health.Contracts;

namespace Gosuslugi.Health.Identity.Tests.Accounts;

public sealed class ProfileAndLevelTests(IdentityServiceFixture fixture) : AccountTest(fixture)
{
    private const string Documents = Profile + "/documents";
    private const string Verification = "/api/v1/account/verification";

    private static string NewOmsNumber() => "7" + RandomNumberGenerator.GetInt32(0, 1_000_000_000).ToString("D9") + RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");

    private static object DocumentsBody(string snils, string? omsNumber = null, string series = "4508", string number = "123456") => new
    {
        snils,
        passport = new { series, number, issuedOn = "2012-06-01" },
        omsPolicy = new { number = omsNumber ?? NewOmsNumber(), insurer = "АО «Страховая компания «СОГАЗ-Мед»", validFrom = "2015-01-01", validTo = (string?)null },
    };

    [Fact]
    public async Task A_provisioned_patient_is_confirmed_with_consent_and_contacts()
    {
        using var http = await ClientAsync(Demo.Patient.UserId);
        var profile = await JsonAsync(await http.GetAsync(Profile), HttpStatusCode.OK);
        profile.GetProperty("level").GetString().ShouldBe("confirmed");
        profile.GetProperty("levelConfirmedAt").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.String);
        profile.GetProperty("nextStep").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        profile.GetProperty("snils").GetString().ShouldBe(Demo.Patient.Snils);
        profile.GetProperty("phone").GetString().ShouldNotBeNull().ShouldMatch(@"^\+79\d{9}$");
        profile.GetProperty("phoneConfirmed").GetBoolean().ShouldBeTrue();
        profile.GetProperty("email").GetString().ShouldNotBeNull().ShouldEndWith("@example.test");
        profile.GetProperty("consent").GetProperty("inForce").GetBoolean().ShouldBeTrue();
        http.DefaultRequestHeaders.Authorization = null;
        (await http.GetAsync(Profile)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_profile_is_the_callers_own_and_needs_a_patient_token()
    {
        using var doctor = await ClientAsync(Demo.Doctor.UserId, role: "doctor");
        (await doctor.GetAsync(Profile)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // A representative's token names the represented person as sub: it must not reach their profile.
        using var acting = Fixture.CreateClient();
        acting.DefaultRequestHeaders.Authorization = SignedInPerson.Bearer(await SignedInPerson.AccessTokenAsync(Fixture, Demo.Patient.UserId,
            SignedInPerson.WithSecondFactor, extraClaims: new Dictionary<string, object> { ["act"] = new Dictionary<string, object> { ["sub"] = Demo.OtherPatient.UserId.ToString() } }));
        using var response = await acting.GetAsync(Profile);
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain(Demo.Patient.Snils);
    }

    [Fact]
    public async Task Bad_documents_are_a_problem_and_change_nothing()
    {
        var person = await RegisterAsync();
        using var http = await ClientAsync(person.UserId);
        var valid = Snils.Generate();
        var badChecksum = valid[..9] + ((int.Parse(valid[9..]) + 1) % 100).ToString("D2");

        using (var response = await http.PutAsJsonAsync(Documents, DocumentsBody(badChecksum)))
            (await ValidationErrorsAsync(response)).TryGetProperty("snils", out _).ShouldBeTrue();
        using (var response = await http.PutAsJsonAsync(Documents, DocumentsBody(valid, omsNumber: "123456789012345")))
            (await ValidationErrorsAsync(response)).TryGetProperty("omsPolicy.number", out _).ShouldBeTrue();
        using (var response = await http.PutAsJsonAsync(Documents, DocumentsBody(valid, series: "45", number: "1234567")))
            (await ValidationErrorsAsync(response)).TryGetProperty("passport", out _).ShouldBeTrue();
        using (var response = await http.PutAsJsonAsync(Documents, new
               {
                   omsPolicy = new { number = NewOmsNumber(), insurer = "СОГАЗ-Мед", validFrom = "2020-01-01", validTo = "2019-12-31" },
               }))
            (await ValidationErrorsAsync(response)).TryGetProperty("omsPolicy.validTo", out _).ShouldBeTrue();
        // Someone else's SNILS.
        using (var response = await http.PutAsJsonAsync(Documents, DocumentsBody(Demo.Patient.Snils)))
            (await ValidationErrorsAsync(response)).TryGetProperty("snils", out _).ShouldBeTrue();

        var user = await UserAsync(person.UserId);
        (user.Snils, user.Passport, user.OmsPolicy, user.OmsPolicyNumberIndex, user.Level).ShouldBe((null, null, null, null, AccountLevel.Simplified));
        (await OutboxAsync<PatientRegistered>(e => e.PatientId == person.UserId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task All_three_documents_make_the_account_standard_and_announce_the_snils()
    {
        var person = await RegisterAsync();
        using var http = await ClientAsync(person.UserId);
        var snils = Snils.Generate();

        // One document alone keeps the level.
        using (var response = await http.PutAsJsonAsync(Documents, new { snils = Snils.Format(snils) }))
            (await JsonAsync(response, HttpStatusCode.OK)).GetProperty("level").GetString().ShouldBe("simplified");
        (await OutboxAsync<PatientRegistered>(e => e.PatientId == person.UserId)).ShouldHaveSingleItem().Snils.ShouldBe(snils);

        var oms = NewOmsNumber();
        using (var response = await http.PutAsJsonAsync(Documents, DocumentsBody(snils, oms)))
        {
            var profile = await JsonAsync(response, HttpStatusCode.OK);
            profile.GetProperty("level").GetString().ShouldBe("standard");
            profile.GetProperty("snils").GetString().ShouldBe(snils);
            profile.GetProperty("passport").GetProperty("series").GetString().ShouldBe("4508");
            profile.GetProperty("omsPolicy").GetProperty("number").GetString().ShouldBe(oms);
            profile.GetProperty("omsPolicy").GetProperty("insurer").GetString().ShouldBe("АО «Страховая компания «СОГАЗ-Мед»");
            profile.GetProperty("omsPolicy").GetProperty("validFrom").GetString().ShouldBe("2015-01-01");
            profile.GetProperty("nextStep").GetString().ShouldNotBeNull().ShouldContain("центре обслуживания");
        }
        (await OutboxAsync<AccountLevelChanged>(e => e.PatientId == person.UserId)).ShouldHaveSingleItem().Level.ShouldBe("standard");
        (await OutboxAsync<PatientRegistered>(e => e.PatientId == person.UserId)).ShouldHaveSingleItem("the SNILS did not change");

        // Another account cannot take the same OMS policy.
        var other = await RegisterAsync();
        using var otherHttp = await ClientAsync(other.UserId);
        using (var response = await otherHttp.PutAsJsonAsync(Documents, DocumentsBody(Snils.Generate(), oms)))
            (await ValidationErrorsAsync(response)).TryGetProperty("omsPolicy.number", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task An_in_person_code_confirms_a_standard_account_once_and_only_that_account()
    {
        var person = await StandardPersonAsync();
        var stranger = await StandardPersonAsync();
        using var admin = await AdminClientAsync();

        var issued = await JsonAsync(await admin.PostAsync($"/api/v1/admin/accounts/{person.UserId}/verification-codes", null), HttpStatusCode.Created);
        var code = issued.GetProperty("code").GetString().ShouldNotBeNull();
        issued.GetProperty("expiresAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddDays(6));

        // The code is bound to the person it was issued for.
        using var strangerHttp = await ClientAsync(stranger.UserId);
        using (var response = await strangerHttp.PostAsJsonAsync(Verification, new { code }))
            (await ValidationErrorsAsync(response)).TryGetProperty("code", out _).ShouldBeTrue();
        (await UserAsync(stranger.UserId)).Level.ShouldBe(AccountLevel.Standard);

        using var http = await ClientAsync(person.UserId);
        using (var wrong = await http.PostAsJsonAsync(Verification, new { code = "AAAA-BBBB-CCCC" }))
            await ValidationErrorsAsync(wrong);
        using (var response = await http.PostAsJsonAsync(Verification, new { code = code.ToLowerInvariant().Replace("-", " ") }))
            (await JsonAsync(response, HttpStatusCode.OK)).GetProperty("level").GetString().ShouldBe("confirmed");

        var profile = await JsonAsync(await http.GetAsync(Profile), HttpStatusCode.OK);
        profile.GetProperty("level").GetString().ShouldBe("confirmed");
        profile.GetProperty("levelConfirmedAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1));
        (await UserAsync(person.UserId)).LevelConfirmedBy.ShouldBe("in_person_code:" + Demo.Admin.UserId);
        (await OutboxAsync<AccountLevelChanged>(e => e.PatientId == person.UserId)).Select(e => e.Level).ShouldBe(["standard", "confirmed"], ignoreOrder: true);
        (await SecurityEventsAsync(person.UserId, SecurityEventKinds.AccountLevelChanged)).ShouldContain(e => e.Outcome == "success" && e.Details["to"] == "confirmed");

        // Used up: a second entry finds an account already confirmed.
        using (var again = await http.PostAsJsonAsync(Verification, new { code }))
            await ShouldBeProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_operator_confirms_a_standard_account_and_a_new_snils_drops_it_back_to_standard()
    {
        var person = await StandardPersonAsync();
        using var admin = await AdminClientAsync();
        var confirmed = await JsonAsync(await admin.PostAsync($"/api/v1/admin/accounts/{person.UserId}/confirmation", null), HttpStatusCode.OK);
        confirmed.GetProperty("level").GetString().ShouldBe("confirmed");
        (await UserAsync(person.UserId)).LevelConfirmedBy.ShouldBe(Demo.Admin.UserId.ToString());

        // Changing the OMS policy keeps the level; changing the SNILS is another identity to verify.
        using var http = await ClientAsync(person.UserId);
        using (var response = await http.PutAsJsonAsync(Documents, new { omsPolicy = new { number = NewOmsNumber(), insurer = "Ингосстрах-М", validFrom = "2024-01-01" } }))
            (await JsonAsync(response, HttpStatusCode.OK)).GetProperty("level").GetString().ShouldBe("confirmed");
        var newSnils = Snils.Generate();
        using (var response = await http.PutAsJsonAsync(Documents, new { snils = newSnils }))
            (await JsonAsync(response, HttpStatusCode.OK)).GetProperty("level").GetString().ShouldBe("standard");
        var user = await UserAsync(person.UserId);
        (user.Level, user.LevelConfirmedAt, user.LevelConfirmedBy).ShouldBe((AccountLevel.Standard, null, null));
        (await OutboxAsync<PatientRegistered>(e => e.PatientId == person.UserId)).ShouldContain(e => e.Snils == newSnils);
    }

    [Fact]
    public async Task Operator_endpoints_need_an_admin_and_a_standard_patient()
    {
        var simplified = await RegisterAsync();
        using var admin = await AdminClientAsync();
        await ShouldBeProblemAsync(await admin.PostAsync($"/api/v1/admin/accounts/{simplified.UserId}/confirmation", null), HttpStatusCode.Conflict);
        await ShouldBeProblemAsync(await admin.PostAsync($"/api/v1/admin/accounts/{simplified.UserId}/verification-codes", null), HttpStatusCode.Conflict);
        await ShouldBeProblemAsync(await admin.PostAsync($"/api/v1/admin/accounts/{Guid.CreateVersion7()}/confirmation", null), HttpStatusCode.NotFound);
        await ShouldBeProblemAsync(await admin.PostAsync($"/api/v1/admin/accounts/{Demo.Doctor.UserId}/confirmation", null), HttpStatusCode.Conflict);

        // A patient cannot confirm themselves (nor anyone) through the operator's endpoints.
        var standard = await StandardPersonAsync();
        using var patient = await ClientAsync(standard.UserId);
        (await patient.PostAsync($"/api/v1/admin/accounts/{standard.UserId}/confirmation", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await patient.PostAsync($"/api/v1/admin/accounts/{standard.UserId}/verification-codes", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await UserAsync(standard.UserId)).Level.ShouldBe(AccountLevel.Standard);

        // A simplified account has nothing to confirm yet.
        using var own = await ClientAsync(simplified.UserId);
        await ShouldBeProblemAsync(await own.PostAsJsonAsync(Verification, new { code = "AAAA-BBBB-CCCC" }), HttpStatusCode.Conflict);
    }

    /// <summary>A registered person who has entered all three documents.</summary>
    private async Task<RegisteredPerson> StandardPersonAsync()
    {
        var person = await RegisterAsync();
        using var http = await ClientAsync(person.UserId);
        using var response = await http.PutAsJsonAsync(Documents, DocumentsBody(Snils.Generate()));
        (await JsonAsync(response, HttpStatusCode.OK)).GetProperty("level").GetString().ShouldBe("standard");
        return person;
    }
}
