using System.Formats.Asn1;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gosuslugi.Health.Identity.Signatures;
using Gosuslugi.Health.ServiceDefaults.Hsm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Gosuslugi.Health.Identity.Tests.Passkeys.SignedInPerson;
using static Gosuslugi.Health.Identity.Tests.Sessions.SessionTestSupport;

namespace Gosuslugi.Health.Identity.Tests.Signatures;

/// <summary>The local test CA: made once with its key in the HSM, its certificate and CRL served, revocations published.</summary>
public sealed class LocalCaTests(IdentityServiceFixture fixture) : IdentityTest(fixture)
{
    [Fact]
    public async Task The_ca_is_made_once_with_a_non_extractable_key_in_the_hsm_and_reused_after_a_restart()
    {
        using var http = Fixture.CreateClient();
        using var response = await http.GetAsync("/pki/ca.crt");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/pkix-cert");
        var der = await response.Content.ReadAsByteArrayAsync();
        using var ca = X509CertificateLoader.LoadCertificate(der);
        ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority.ShouldBeTrue();
        ca.SubjectName.RawData.ShouldBe(ca.IssuerName.RawData);
        ca.HasPrivateKey.ShouldBeFalse();

        var record = await Fixture.WithDbAsync(db => db.Set<CertificateAuthorityRecord>().AsNoTracking().SingleAsync());
        record.Certificate.ShouldBe(der);
        var hsm = Fixture.Factory.Services.GetRequiredService<Pkcs11Hsm>();
        hsm.IsExtractable(record.HsmLabel).ShouldBeFalse();
        using (var inHsm = hsm.FindRsaKey(record.HsmLabel).ShouldNotBeNull())
            inHsm.ExportSubjectPublicKeyInfo().ShouldBe(ca.PublicKey.ExportSubjectPublicKeyInfo());

        // No table holds a private key: the CA's tables keep certificates, CRLs and their life only.
        var columns = await Fixture.WithDbAsync(db => db.Database.SqlQuery<string>($"""
            SELECT column_name AS "Value" FROM information_schema.columns
            WHERE table_name IN ('certificate_authorities', 'issued_certificates', 'linked_certificates')
            """).ToListAsync());
        columns.ShouldNotBeEmpty();
        columns.ShouldNotContain(c => c.Contains("private") || c.Contains("key"));

        // A second instance (a restart) on the same database and HSM token keeps the CA.
        var demoFile = Path.Combine(Path.GetTempPath(), "identity-esign-" + Guid.NewGuid().ToString("N"), "demo.json");
        await using (var second = new IdentityFactory(IdentityServiceFixture.Settings(Fixture.ConnectionString, Fixture.RabbitMq, demoFile)))
        {
            using var secondHttp = second.CreateClient();
            (await secondHttp.GetByteArrayAsync("/pki/ca.crt")).ShouldBe(der);
        }
        (await Fixture.WithDbAsync(db => db.Set<CertificateAuthorityRecord>().CountAsync())).ShouldBe(1);
    }

    [Fact]
    public async Task The_crl_is_served_signed_by_the_ca_with_a_number_and_next_update_and_lists_a_revoked_certificate()
    {
        using var http = Fixture.CreateClient();
        using var ca = X509CertificateLoader.LoadCertificate(await http.GetByteArrayAsync("/pki/ca.crt"));
        var before = await GetCrlAsync(http);
        var beforeCrl = ParseCrl(before, ca);
        beforeCrl.NextUpdate.ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        beforeCrl.ThisUpdate.ShouldBeLessThanOrEqualTo(DateTimeOffset.UtcNow.AddSeconds(5));

        var accounts = await Fixture.CreateAccountsAsync();
        using var certificate = await SignatureTestSupport.IssueAsync(Fixture, accounts.Patient.UserId);
        var issued = await Fixture.WithDbAsync(db => db.Set<IssuedCertificate>().AsNoTracking().SingleAsync(c => c.SerialNumber == certificate.SerialNumber));
        var admin = await AccessTokenAsync(Fixture, Demo.Admin.UserId, WithSecondFactor, extraClaims: new Dictionary<string, object> { ["role"] = "admin" });
        using (var revoked = await SendAsync(http, HttpMethod.Post, $"/api/v1/admin/certificates/{issued.Id}/revocation", admin,
                   System.Net.Http.Json.JsonContent.Create(new { reason = "key compromised" })))
            revoked.StatusCode.ShouldBe(HttpStatusCode.NoContent, await revoked.Content.ReadAsStringAsync());
        using (var again = await SendAsync(http, HttpMethod.Post, $"/api/v1/admin/certificates/{issued.Id}/revocation", admin))
            again.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var after = await GetCrlAsync(http);
        ParseCrl(after, ca).Number.ShouldBeGreaterThan(beforeCrl.Number);
        var loaded = CertificateRevocationListBuilder.Load(after, out var number);
        number.ShouldBeGreaterThan(beforeCrl.Number);
        loaded.RemoveEntry(certificate.SerialNumberBytes.Span).ShouldBeTrue("the revoked certificate is in the CRL");

        var events = await SecurityEventsAsync(Fixture.Factory.Services, accounts.Patient.UserId, Contracts.Identity.SecurityEventKinds.CertificateRevoked);
        events.ShouldHaveSingleItem().Details["serial"].ShouldBe(certificate.SerialNumber);
    }

    [Fact]
    public async Task A_crl_near_its_next_update_is_remade_with_the_next_number()
    {
        using var http = Fixture.CreateClient();
        using var ca = X509CertificateLoader.LoadCertificate(await http.GetByteArrayAsync("/pki/ca.crt"));
        var current = ParseCrl(await GetCrlAsync(http), ca);
        // As if most of its life had passed: less than half of it is left.
        await Fixture.WithDbAsync(db => db.Set<CertificateAuthorityRecord>()
            .ExecuteUpdateAsync(c => c.SetProperty(r => r.CrlNextUpdate, DateTimeOffset.UtcNow.AddHours(1))));

        var remade = ParseCrl(await GetCrlAsync(http), ca);
        remade.Number.ShouldBe(current.Number + 1);
        remade.NextUpdate.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddDays(6));
        // Served again as it is while it stays fresh.
        ParseCrl(await GetCrlAsync(http), ca).Number.ShouldBe(remade.Number);
    }

    private static async Task<byte[]> GetCrlAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/pki/ca.crl");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/pkix-crl");
        return await response.Content.ReadAsByteArrayAsync();
    }

    private sealed record CrlFields(DateTimeOffset ThisUpdate, DateTimeOffset NextUpdate, BigInteger Number);

    /// <summary>RFC 5280 §5.1: checks the signature with the CA's public key and reads the dates.</summary>
    private static CrlFields ParseCrl(byte[] crl, X509Certificate2 ca)
    {
        var outer = new AsnReader(crl, AsnEncodingRules.DER).ReadSequence();
        var tbs = outer.ReadEncodedValue().ToArray();
        outer.ReadSequence(); // signatureAlgorithm
        var signature = outer.ReadBitString(out _);
        using (var rsa = ca.GetRSAPublicKey()!)
            rsa.VerifyData(tbs, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).ShouldBeTrue("the CRL is signed by the CA's key");

        var fields = new AsnReader(tbs, AsnEncodingRules.DER).ReadSequence();
        fields.ReadInteger().ShouldBe(BigInteger.One); // v2
        fields.ReadSequence();
        fields.ReadEncodedValue().ToArray().ShouldBe(ca.SubjectName.RawData);
        var thisUpdate = fields.ReadUtcTime();
        var nextUpdate = fields.ReadUtcTime();
        CertificateRevocationListBuilder.Load(crl, out var number);
        return new CrlFields(thisUpdate, nextUpdate, number);
    }
}
