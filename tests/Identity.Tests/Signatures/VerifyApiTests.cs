using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Signatures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Gosuslugi.Health.Identity.Tests.Passkeys.SignedInPerson;
using static Gosuslugi.Health.Identity.Tests.Sessions.SessionTestSupport;

namespace Gosuslugi.Health.Identity.Tests.Signatures;

/// <summary><c>POST /api/v1/signatures/verify</c>: who signed, or exactly which check failed.</summary>
public sealed class VerifyApiTests(IdentityServiceFixture fixture) : IdentityTest(fixture)
{
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("Выписной эпикриз № 42: пациент выписан в удовлетворительном состоянии.");

    [Fact]
    public async Task A_valid_signature_names_the_signer_and_is_recorded()
    {
        var patient = (await Fixture.CreateAccountsAsync()).Patient;
        using var certificate = await SignatureTestSupport.IssueAsync(Fixture, patient.UserId);
        using var http = Fixture.CreateClient();
        var signedAt = DateTimeOffset.UtcNow;

        using var response = await VerifyAsync(http, Document, SignatureTestSupport.Sign(Document, certificate));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var verified = (await response.Content.ReadFromJsonAsync<SignaturesApi.VerifiedSignature>())!;
        verified.Valid.ShouldBeTrue();
        verified.Signer.Snils.ShouldBe(patient.Snils);
        verified.Signer.SerialNumber.ShouldBe(certificate.SerialNumber);
        verified.Signer.Thumbprint.ShouldBe(certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
        verified.Signer.Name.ShouldNotBeNullOrWhiteSpace();
        verified.SigningTime.ShouldNotBeNull().ShouldBe(signedAt, TimeSpan.FromMinutes(1));

        var recorded = await AllSignatureEventsAsync();
        recorded.ShouldContain(e => e.Outcome == "success" && e.Details["purpose"] == "verify" && e.Details["serial"] == certificate.SerialNumber
                                    && e.ClientId == Demo.MedicalOrganization.ClientId);
    }

    [Fact]
    public async Task A_changed_payload_a_revoked_expired_not_yet_valid_or_foreign_certificate_is_a_422_saying_which_check_failed()
    {
        var accounts = await Fixture.CreateAccountsAsync();
        var patient = accounts.Patient;
        using var http = Fixture.CreateClient();

        using var good = await SignatureTestSupport.IssueAsync(Fixture, patient.UserId);
        var changed = Document.ToArray();
        changed[^1] ^= 1;
        await ShouldBeRefusedAsync(changed, good, "signature_invalid");

        using var revoked = await SignatureTestSupport.IssueAsync(Fixture, patient.UserId);
        var revokedId = await Fixture.WithDbAsync(db => db.Set<IssuedCertificate>().Where(c => c.SerialNumber == revoked.SerialNumber).Select(c => c.Id).SingleAsync());
        await Fixture.WithScopeAsync(sp => sp.GetRequiredService<LocalCertificateAuthority>().RevokeAsync(revokedId, null, null, CancellationToken.None));
        await ShouldBeRefusedAsync(Document, revoked, "certificate_revoked");

        using var expired = await SignatureTestSupport.IssueAsync(Fixture, patient.UserId, DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddMinutes(-1));
        await ShouldBeRefusedAsync(Document, expired, "certificate_expired");
        using var notYet = await SignatureTestSupport.IssueAsync(Fixture, patient.UserId, DateTimeOffset.UtcNow.AddDays(2), DateTimeOffset.UtcNow.AddYears(1));
        await ShouldBeRefusedAsync(Document, notYet, "certificate_not_yet_valid");
        var snils = await Fixture.WithDbAsync(db => db.Users.Where(u => u.Id == patient.UserId).Select(u => u.Snils!).SingleAsync());
        using var foreign = SignatureTestSupport.FromForeignCa("Иванова", "Мария", snils);
        await ShouldBeRefusedAsync(Document, foreign, "certificate_untrusted");

        using (var garbage = await VerifyAsync(http, Document, [0x30, 0x03, 0x02, 0x01, 0x01]))
            await CertificateSignInTests.ShouldBeProblemAsync(garbage, 422, "signature_malformed");
        using (var notBase64 = await SendJsonAsync(http, new { payload = "не base64", signature = "@@" }))
        {
            notBase64.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            var body = await notBase64.Content.ReadAsStringAsync();
            body.ShouldContain("payload");
            body.ShouldContain("signature");
        }

        var reasons = (await AllSignatureEventsAsync()).Where(e => e.Outcome == "failure").Select(e => e.Details["reason"]).ToList();
        reasons.ShouldContain("certificate_revoked");
        reasons.ShouldContain("signature_invalid");

        async Task ShouldBeRefusedAsync(byte[] payload, X509Certificate2 signer, string reason)
        {
            using var response = await VerifyAsync(http, payload, SignatureTestSupport.Sign(Document, signer));
            await CertificateSignInTests.ShouldBeProblemAsync(response, 422, reason);
        }
    }

    [Fact]
    public async Task Only_medical_organizations_systems_may_verify()
    {
        using var http = Fixture.CreateClient();
        var body = JsonContent.Create(new { payload = Convert.ToBase64String(Document), signature = "MAA=" });
        using (var anonymous = await SendAsync(http, HttpMethod.Post, SignaturesApi.VerifyPath, null, body))
            anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var patientToken = await AccessTokenAsync(Fixture, Demo.Patient.UserId, WithSecondFactor);
        using (var patient = await SendAsync(http, HttpMethod.Post, SignaturesApi.VerifyPath, patientToken,
                   JsonContent.Create(new { payload = Convert.ToBase64String(Document), signature = "MAA=" })))
            patient.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private async Task<HttpResponseMessage> VerifyAsync(HttpClient http, byte[] payload, byte[] signature) =>
        await SendJsonAsync(http, new { payload = Convert.ToBase64String(payload), signature = Convert.ToBase64String(signature) });

    private async Task<HttpResponseMessage> SendJsonAsync(HttpClient http, object body)
    {
        var organization = Demo.MedicalOrganization;
        using var tokenResponse = await OAuthDriver.PostFormAsync(http, "/connect/token",
            new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "health.publish" },
            OAuthDriver.Basic(organization.ClientId, organization.ClientSecret));
        tokenResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        var token = (await TokenSet.ReadAsync(tokenResponse)).AccessToken;
        return await SendAsync(http, HttpMethod.Post, SignaturesApi.VerifyPath, token, JsonContent.Create(body));
    }

    /// <summary>Signature checks of services name no account unless the certificate is linked: all of them, any subject.</summary>
    private Task<List<SecurityEventRecorded>> AllSignatureEventsAsync() =>
        WithDbAsync(Fixture.Factory.Services, async db =>
        {
            var payloads = await db.Set<ServiceDefaults.Messaging.OutboxMessage>().AsNoTracking()
                .Where(m => m.MessageType == typeof(SecurityEventRecorded).FullName)
                .Select(m => m.Payload).ToListAsync();
            return payloads.Select(p => System.Text.Json.JsonSerializer.Deserialize<SecurityEventRecorded>(p, System.Text.Json.JsonSerializerOptions.Web)!)
                .Where(e => e.Kind == SecurityEventKinds.SignatureChecked).ToList();
        });
}
