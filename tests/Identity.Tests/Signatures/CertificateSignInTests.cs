using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Signatures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Gosuslugi.Health.Identity.Tests.Passkeys.SignedInPerson;
using static Gosuslugi.Health.Identity.Tests.Sessions.SessionTestSupport;

namespace Gosuslugi.Health.Identity.Tests.Signatures;

/// <summary>A person links their certificate and signs in with it; every refusal says which check failed.</summary>
public sealed class CertificateSignInTests(IdentityServiceFixture fixture) : IdentityTest(fixture)
{
    private const string CertificatesPath = SignatureTestSupport.CertificatesPath;

    [Fact]
    public async Task A_linked_certificate_signs_the_person_in_like_a_second_factor_does_and_a_challenge_works_once()
    {
        var patient = (await Fixture.CreateAccountsAsync()).Patient;
        using var certificate = await SignatureTestSupport.IssueAsync(Fixture, patient.UserId);
        var token = await AccessTokenAsync(Fixture, patient.UserId, WithSecondFactor);
        using var http = Fixture.CreateClient();
        using (var linked = await SendAsync(http, HttpMethod.Post, CertificatesPath, token, SignatureTestSupport.LinkBody(certificate)))
        {
            linked.StatusCode.ShouldBe(HttpStatusCode.Created, await linked.Content.ReadAsStringAsync());
            var view = (await linked.Content.ReadFromJsonAsync<LinkedCertificateView>())!;
            view.SerialNumber.ShouldBe(certificate.SerialNumber);
            view.Subject.ShouldStartWith((await NameAsync(patient.UserId)).FamilyName);
        }

        var browser = NewBrowser();
        var verifier = OAuthDriver.NewVerifier();
        using var page = await browser.GetAuthorizeAsync(browser.AuthorizeParameters(verifier));
        var form = OAuthDriver.ParseForm(await page.Content.ReadAsStringAsync());
        var challenge = await ChallengeAsync(browser.Http);
        var fields = new Dictionary<string, string>(form.Fields)
        {
            [SignaturesApi.ChallengeIdField] = challenge.ChallengeId.ToString(),
            [SignaturesApi.SignatureField] = Convert.ToBase64String(SignatureTestSupport.Sign(Convert.FromBase64String(challenge.Payload), certificate)),
        };
        using var signedIn = await browser.Http.PostAsync(SignaturesApi.SignInPath, new FormUrlEncodedContent(fields));
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Found, await signedIn.Content.ReadAsStringAsync());
        using var redeemed = await browser.RedeemCodeAsync(browser.CallbackQuery(signedIn)["code"]!, verifier);
        redeemed.StatusCode.ShouldBe(HttpStatusCode.OK, await redeemed.Content.ReadAsStringAsync());
        var access = (await TokenSet.ReadAsync(redeemed)).Access;
        access.Subject.ShouldBe(patient.UserId.ToString());
        access.Claims(("amr")).ShouldBe(["sc", "mfa"], ignoreOrder: true);
        access.Claim("sid").ShouldNotBeNull();

        (await SecurityEventsAsync(Fixture.Factory.Services, patient.UserId, SecurityEventKinds.SignatureChecked))
            .ShouldContain(e => e.Outcome == "success" && e.Details["purpose"] == "signin" && e.Details["serial"] == certificate.SerialNumber);
        (await SecurityEventsAsync(Fixture.Factory.Services, patient.UserId, SecurityEventKinds.SignInSucceeded))
            .ShouldContain(e => e.Details["factor"] == "certificate");

        // The same challenge and signature a second time (a replay) are refused: the challenge was used up.
        var replayBrowser = NewBrowser();
        using var replayPage = await replayBrowser.GetAuthorizeAsync(replayBrowser.AuthorizeParameters(OAuthDriver.NewVerifier()));
        var replayFields = new Dictionary<string, string>(OAuthDriver.ParseForm(await replayPage.Content.ReadAsStringAsync()).Fields)
        {
            [SignaturesApi.ChallengeIdField] = fields[SignaturesApi.ChallengeIdField],
            [SignaturesApi.SignatureField] = fields[SignaturesApi.SignatureField],
        };
        using var replay = await replayBrowser.Http.PostAsync(SignaturesApi.SignInPath, new FormUrlEncodedContent(replayFields));
        replay.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await replay.Content.ReadAsStringAsync()).ShouldContain("устарел или уже использован");
    }

    [Fact]
    public async Task Sign_in_checks_the_certificate_at_every_use_revoked_unlinked_foreign_and_a_changed_challenge_are_refused()
    {
        var accounts = await Fixture.CreateAccountsAsync();
        var patient = accounts.Patient;
        using var certificate = await SignatureTestSupport.IssueAsync(Fixture, patient.UserId);
        var token = await AccessTokenAsync(Fixture, patient.UserId, WithSecondFactor);
        using var http = Fixture.CreateClient();
        using (var linked = await SendAsync(http, HttpMethod.Post, CertificatesPath, token, SignatureTestSupport.LinkBody(certificate)))
            linked.StatusCode.ShouldBe(HttpStatusCode.Created);

        (await SignInAsync(certificate)).User.ShouldNotBeNull();
        (await SignInAsync(certificate, changePayload: true)).Reason.ShouldBe("signature_invalid");

        using var notLinked = await SignatureTestSupport.IssueAsync(Fixture, patient.UserId);
        (await SignInAsync(notLinked)).Reason.ShouldBe("certificate_not_linked");
        using var foreign = await ForeignCertificateAsync(patient.UserId);
        (await SignInAsync(foreign)).Reason.ShouldBe("certificate_untrusted");

        // Revoked after it was linked: the next sign-in already sees it.
        var issuedId = await Fixture.WithDbAsync(db => db.Set<IssuedCertificate>().Where(c => c.SerialNumber == certificate.SerialNumber).Select(c => c.Id).SingleAsync());
        (await Fixture.WithScopeAsync(sp => sp.GetRequiredService<LocalCertificateAuthority>().RevokeAsync(issuedId, null, null, CancellationToken.None)))
            .ShouldBe(RevokeOutcome.Revoked);
        var refused = await SignInAsync(certificate);
        refused.User.ShouldBeNull();
        refused.Reason.ShouldBe("certificate_revoked");
        refused.RussianError.ShouldContain("отозван");

        var failures = await SecurityEventsAsync(Fixture.Factory.Services, patient.UserId, SecurityEventKinds.SignatureChecked);
        failures.ShouldContain(e => e.Outcome == "failure" && e.Details["reason"] == "certificate_revoked" && e.Details["purpose"] == "signin");
        failures.ShouldAllBe(e => e.Details.Keys.All(k => k == "purpose" || k == "reason" || k == "serial" || k == "thumbprint"));
    }

    [Fact]
    public async Task Linking_refuses_revoked_expired_not_yet_valid_foreign_and_another_persons_certificates_and_stores_nothing()
    {
        var accounts = await Fixture.CreateAccountsAsync();
        var patient = accounts.Patient;
        var token = await AccessTokenAsync(Fixture, patient.UserId, WithSecondFactor);
        using var http = Fixture.CreateClient();

        using var revoked = await SignatureTestSupport.IssueAsync(Fixture, patient.UserId);
        var revokedId = await Fixture.WithDbAsync(db => db.Set<IssuedCertificate>().Where(c => c.SerialNumber == revoked.SerialNumber).Select(c => c.Id).SingleAsync());
        await Fixture.WithScopeAsync(sp => sp.GetRequiredService<LocalCertificateAuthority>().RevokeAsync(revokedId, "test", null, CancellationToken.None));
        await ShouldBeRefusedAsync(revoked, 422, "certificate_revoked");

        using var expired = await SignatureTestSupport.IssueAsync(Fixture, patient.UserId, DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddDays(-1));
        await ShouldBeRefusedAsync(expired, 422, "certificate_expired");
        using var notYet = await SignatureTestSupport.IssueAsync(Fixture, patient.UserId, DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddYears(1));
        await ShouldBeRefusedAsync(notYet, 422, "certificate_not_yet_valid");
        using var foreign = await ForeignCertificateAsync(patient.UserId);
        await ShouldBeRefusedAsync(foreign, 422, "certificate_untrusted");
        using var someoneElses = await SignatureTestSupport.IssueAsync(Fixture, accounts.OtherPatient.UserId);
        await ShouldBeRefusedAsync(someoneElses, 422, "snils_mismatch");

        using (var list = await GetAsync(http, CertificatesPath, token))
            (await list.Content.ReadFromJsonAsync<CertificatesApi.CertificateList>())!.Items.ShouldBeEmpty();
        (await Fixture.WithDbAsync(db => db.Set<LinkedCertificate>().CountAsync(c => c.UserId == patient.UserId))).ShouldBe(0);
        (await SecurityEventsAsync(Fixture.Factory.Services, patient.UserId, SecurityEventKinds.CertificateLinked))
            .Select(e => e.Details["reason"]).ShouldBe(
                ["certificate_revoked", "certificate_expired", "certificate_not_yet_valid", "certificate_untrusted", "snils_mismatch"]);

        async Task ShouldBeRefusedAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, int status, string reason)
        {
            using var response = await SendAsync(http, HttpMethod.Post, CertificatesPath, token, SignatureTestSupport.LinkBody(certificate));
            await ShouldBeProblemAsync(response, status, reason);
        }
    }

    [Fact]
    public async Task Another_patient_can_neither_see_nor_unlink_a_certificate_and_the_owner_can()
    {
        var accounts = await Fixture.CreateAccountsAsync();
        var owner = accounts.Patient;
        using var certificate = await SignatureTestSupport.IssueAsync(Fixture, owner.UserId);
        var ownerToken = await AccessTokenAsync(Fixture, owner.UserId, WithSecondFactor);
        var otherToken = await AccessTokenAsync(Fixture, accounts.OtherPatient.UserId, WithSecondFactor);
        using var http = Fixture.CreateClient();
        Guid id;
        using (var linked = await SendAsync(http, HttpMethod.Post, CertificatesPath, ownerToken, SignatureTestSupport.LinkBody(certificate)))
            id = (await linked.Content.ReadFromJsonAsync<LinkedCertificateView>())!.Id;

        // The same certificate cannot be linked twice, by its owner or anyone.
        using (var twice = await SendAsync(http, HttpMethod.Post, CertificatesPath, ownerToken, SignatureTestSupport.LinkBody(certificate)))
            await ShouldBeProblemAsync(twice, 409, "already_linked");

        using (var seen = await GetAsync(http, $"{CertificatesPath}/{id}", otherToken)) await ShouldBeProblemAsync(seen, 404, "not_found");
        using (var list = await GetAsync(http, CertificatesPath, otherToken))
            (await list.Content.ReadFromJsonAsync<CertificatesApi.CertificateList>())!.Items.ShouldBeEmpty();
        using (var unlinked = await SendAsync(http, HttpMethod.Delete, $"{CertificatesPath}/{id}", otherToken)) await ShouldBeProblemAsync(unlinked, 404, "not_found");
        using (var stillThere = await GetAsync(http, $"{CertificatesPath}/{id}", ownerToken)) stillThere.StatusCode.ShouldBe(HttpStatusCode.OK);

        // Unlinking is a change of how the account is protected: a stale sign-in is not enough.
        var stale = await AccessTokenAsync(Fixture, owner.UserId, WithSecondFactor, authTime: DateTimeOffset.UtcNow.AddMinutes(-30));
        using (var refused = await SendAsync(http, HttpMethod.Delete, $"{CertificatesPath}/{id}", stale)) refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using (var removed = await SendAsync(http, HttpMethod.Delete, $"{CertificatesPath}/{id}", ownerToken)) removed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using (var gone = await GetAsync(http, $"{CertificatesPath}/{id}", ownerToken)) gone.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await SignInAsync(certificate)).Reason.ShouldBe("certificate_not_linked");
        (await SecurityEventsAsync(Fixture.Factory.Services, owner.UserId, SecurityEventKinds.CertificateUnlinked)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task An_admin_issues_and_sees_identifiers_and_dates_but_not_the_persons_name_snils_or_certificate()
    {
        var patient = (await Fixture.CreateAccountsAsync()).Patient;
        var admin = await AccessTokenAsync(Fixture, Demo.Admin.UserId, WithSecondFactor, extraClaims: new Dictionary<string, object> { ["role"] = "admin" });
        using var http = Fixture.CreateClient();

        using var key = System.Security.Cryptography.RSA.Create(2048);
        var csr = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=whatever the requester wrote", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1).CreateSigningRequestPem();
        CertificatesApi.IssuedCertificateSummary issued;
        using (var response = await SendAsync(http, HttpMethod.Post, "/api/v1/admin/certificates", admin,
                   JsonContent.Create(new { accountId = patient.UserId, csr })))
        {
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
            body.ShouldNotContain(patient.Snils);
            body.ShouldNotContain("BEGIN CERTIFICATE");
            issued = JsonSerializer.Deserialize<CertificatesApi.IssuedCertificateSummary>(body, JsonSerializerOptions.Web)!;
        }

        // The person downloads it; its subject is theirs (name and SNILS), whatever the request said.
        var token = await AccessTokenAsync(Fixture, patient.UserId, WithSecondFactor);
        using (var mine = await GetAsync(http, $"{CertificatesPath}/issued", token))
        {
            var item = (await mine.Content.ReadFromJsonAsync<CertificatesApi.IssuedCertificateList>())!.Items.ShouldHaveSingleItem();
            using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(item.Certificate);
            var subject = QualifiedSubject.Read(certificate.SubjectName);
            subject.Snils.ShouldBe(patient.Snils);
            subject.FamilyName.ShouldBe((await NameAsync(patient.UserId)).FamilyName);
            certificate.SerialNumber.ShouldBe(issued.SerialNumber);
            using var withKey = certificate.CopyWithPrivateKey(key);
            using var linked = await SendAsync(http, HttpMethod.Post, CertificatesPath, token, SignatureTestSupport.LinkBody(withKey));
            linked.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        using (var view = await GetAsync(http, $"/api/v1/admin/accounts/{patient.UserId}/certificates", admin))
        {
            var body = await view.Content.ReadAsStringAsync();
            view.StatusCode.ShouldBe(HttpStatusCode.OK, body);
            body.ShouldContain(issued.SerialNumber);
            body.ShouldNotContain(patient.Snils);
            body.ShouldNotContain((await NameAsync(patient.UserId)).FamilyName);
            body.ShouldNotContain("BEGIN CERTIFICATE");
        }
        // The patient's own endpoints with an admin token show the admin's own account, never the patient's.
        using (var own = await GetAsync(http, CertificatesPath, admin))
            (await own.Content.ReadFromJsonAsync<CertificatesApi.CertificateList>())!.Items.ShouldBeEmpty();
        using (var issuedOwn = await GetAsync(http, $"{CertificatesPath}/issued", admin))
            (await issuedOwn.Content.ReadFromJsonAsync<CertificatesApi.IssuedCertificateList>())!.Items.ShouldBeEmpty();
        // And a patient is no operator.
        using (var notAdmin = await GetAsync(http, $"/api/v1/admin/accounts/{patient.UserId}/certificates", token))
            notAdmin.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await SecurityEventsAsync(Fixture.Factory.Services, patient.UserId, SecurityEventKinds.CertificateIssued))
            .ShouldHaveSingleItem().ActorId.ShouldBe(Demo.Admin.UserId);
    }

    private Task<CertificateSignInResult> SignInAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, bool changePayload = false) =>
        Fixture.WithScopeAsync(async sp =>
        {
            var checks = sp.GetRequiredService<SignatureChecks>();
            var challenge = await checks.NewChallengeAsync(CancellationToken.None);
            var payload = changePayload ? [.. challenge.Payload, (byte)'!'] : challenge.Payload;
            return await checks.SignInAsync(challenge.Id, Convert.ToBase64String(SignatureTestSupport.Sign(payload, certificate)), "test", CancellationToken.None);
        });

    private async Task<(string FamilyName, string GivenName)> NameAsync(Guid userId)
    {
        var user = await Fixture.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        return (user.FamilyName, user.GivenName);
    }

    private async Task<System.Security.Cryptography.X509Certificates.X509Certificate2> ForeignCertificateAsync(Guid userId)
    {
        var (family, given) = await NameAsync(userId);
        var snils = await Fixture.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Snils!).SingleAsync());
        return SignatureTestSupport.FromForeignCa(family, given, snils);
    }

    private static async Task<SignaturesApi.ChallengeView> ChallengeAsync(HttpClient http)
    {
        using var response = await http.PostAsync(SignaturesApi.ChallengePath, null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SignaturesApi.ChallengeView>())!;
    }

    internal static async Task ShouldBeProblemAsync(HttpResponseMessage response, int status, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("reason").GetString().ShouldBe(reason, body);
        json.RootElement.GetProperty("detail").GetString()!.ShouldMatch("[А-Яа-яЁё]", body);
    }
}
