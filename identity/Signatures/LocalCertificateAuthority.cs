using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Tokens;
using Gosuslugi.Health.ServiceDefaults.Hsm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Signatures;

/// <summary>What became of a request to issue a certificate.</summary>
public enum IssueOutcome { Issued, AccountNotFound, NoSnils, BadKey, Disabled }

public sealed record IssueResult(IssueOutcome Outcome, IssuedCertificate? Certificate = null);

public enum RevokeOutcome { Revoked, AlreadyRevoked, NotFound, Disabled }

/// <summary>
/// The local test certification authority of development and tests: an RSA key pair generated inside the HSM on
/// identity's first start (it signs certificates and CRLs there and never leaves it), a self-signed certificate and the
/// CRL in identity's database, shared by every instance. Production uses an accredited CA instead
/// (<see cref="SignatureOptions.LocalCaEnabled"/> off).
/// </summary>
public sealed class LocalCertificateAuthority(
    IServiceScopeFactory scopes,
    Pkcs11Hsm hsm,
    TimeProvider time,
    IOptions<SignatureOptions> options,
    IOptions<TokenServiceOptions> tokenOptions,
    ILogger<LocalCertificateAuthority> logger)
{
    public const string CrlPath = "/pki/ca.crl";
    public const string CertificatePath = "/pki/ca.crt";
    private const int KeySizeInBits = 3072;

    // pg_advisory_xact_lock key: one instance creates the CA, and CRL numbers never repeat.
    private const long AuthorityLock = 0x6964_6573_6967; // "idesig"

    private volatile Authority? _authority;

    /// <summary>The CA's certificate (public) with the row it came from; cached: a CA never changes once made.</summary>
    public sealed record Authority(Guid Id, string HsmLabel, X509Certificate2 Certificate);

    public bool Enabled => options.Value.LocalCaEnabled;

    /// <summary>Creates the CA (key in the HSM, certificate and a first CRL in the database) unless it exists. At start-up.</summary>
    public async Task<Authority> EnsureAsync(CancellationToken ct)
    {
        if (_authority is { } known) return known;
        var record = await InLockedTransactionAsync(async (db, _) =>
        {
            var existing = await db.Set<CertificateAuthorityRecord>().OrderBy(c => c.CreatedAt).FirstOrDefaultAsync(ct);
            if (existing is not null) return existing;
            var created = Create();
            db.Add(created);
            await db.SaveChangesAsync(ct);
            return created;
        }, ct);
        var authority = ToAuthority(record);
        if (record.Crl is null) await RefreshCrlAsync(ct);
        return _authority = authority;
    }

    /// <summary>The CRL (DER), remade first when it is missing or less than half its life is left.</summary>
    public async Task<byte[]> CurrentCrlAsync(CancellationToken ct)
    {
        await EnsureAsync(ct);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var record = await db.Set<CertificateAuthorityRecord>().AsNoTracking().OrderBy(c => c.CreatedAt).FirstAsync(ct);
        if (record.Crl is { } crl && !NearExpiry(record)) return crl;
        return await RefreshCrlAsync(ct);
    }

    /// <summary>
    /// Issues a certificate for the account's person (subject from the account: name and SNILS, never from the request)
    /// on <paramref name="subjectPublicKeyInfo"/>, signed inside the HSM.
    /// </summary>
    public async Task<IssueResult> IssueAsync(Guid accountId, byte[] subjectPublicKeyInfo, Guid? issuedBy,
        DateTimeOffset? notBefore, DateTimeOffset? notAfter, CancellationToken ct)
    {
        if (!Enabled) return new IssueResult(IssueOutcome.Disabled);
        PublicKey publicKey;
        try
        {
            publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
            // Only RSA keys of a sane size: what the verifier and the HSM-backed CA speak.
            using var rsa = publicKey.GetRSAPublicKey();
            if (rsa is null || rsa.KeySize < 2048) return new IssueResult(IssueOutcome.BadKey);
        }
        catch (CryptographicException)
        {
            return new IssueResult(IssueOutcome.BadKey);
        }

        var authority = await EnsureAsync(ct);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == accountId, ct);
        if (user is null) return new IssueResult(IssueOutcome.AccountNotFound);
        if (user.Snils is null) return new IssueResult(IssueOutcome.NoSnils);

        var now = time.GetUtcNow();
        var from = notBefore ?? now.AddMinutes(-1);
        var until = notAfter ?? now + options.Value.IssuedCertificateLifetime;
        if (until > authority.Certificate.NotAfter) until = authority.Certificate.NotAfter;

        var request = new CertificateRequest(QualifiedSubject.Build(user.FamilyName, user.GivenName, user.MiddleName, user.Snils),
            publicKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.2"), new Oid("1.3.6.1.5.5.7.3.4")], critical: false)); // clientAuth, emailProtection
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority.Certificate, true, false));
        request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension(
            [tokenOptions.Value.Issuer.TrimEnd('/') + CrlPath]));

        using var caKey = CaKey(authority);
        using var certificate = request.Create(authority.Certificate.SubjectName,
            X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1), from, until, NewSerial());
        var issued = new IssuedCertificate
        {
            AuthorityId = authority.Id,
            AccountId = user.Id,
            SerialNumber = certificate.SerialNumber,
            Thumbprint = CertificateFormats.Thumbprint(certificate),
            Certificate = certificate.RawData,
            NotBefore = certificate.NotBefore.ToUniversalTime(),
            NotAfter = certificate.NotAfter.ToUniversalTime(),
            IssuedAt = now,
            IssuedBy = issuedBy,
        };
        db.Add(issued);
        scope.ServiceProvider.GetRequiredService<SecurityEvents>().Add(SecurityEventKinds.CertificateIssued, user.Id,
            details: Describe(issued), actorId: issuedBy);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Issued certificate {Serial} for account {AccountId}", issued.SerialNumber, user.Id);
        return new IssueResult(IssueOutcome.Issued, issued);
    }

    /// <summary>Revokes a certificate this CA issued and publishes a new CRL in the same transaction.</summary>
    public async Task<RevokeOutcome> RevokeAsync(Guid certificateId, string? reason, Guid? actorId, CancellationToken ct)
    {
        if (!Enabled) return RevokeOutcome.Disabled;
        await EnsureAsync(ct);
        var outcome = await InLockedTransactionAsync(async (db, services) =>
        {
            var issued = await db.Set<IssuedCertificate>().SingleOrDefaultAsync(c => c.Id == certificateId, ct);
            if (issued is null) return RevokeOutcome.NotFound;
            if (issued.RevokedAt is not null) return RevokeOutcome.AlreadyRevoked;
            issued.RevokedAt = time.GetUtcNow();
            issued.RevokedBy = actorId;
            issued.RevocationReason = reason;
            var details = Describe(issued);
            services.GetRequiredService<SecurityEvents>().Add(SecurityEventKinds.CertificateRevoked, issued.AccountId, details: details, actorId: actorId);
            await db.SaveChangesAsync(ct);
            await BuildCrlAsync(db, ct);
            return RevokeOutcome.Revoked;
        }, ct);
        if (outcome == RevokeOutcome.Revoked) logger.LogInformation("Revoked certificate {CertificateId}", certificateId);
        return outcome;
    }

    /// <summary>
    /// Whether a certificate of this CA is revoked, by the CRL this CA serves (remade in the same transaction as every
    /// revocation, so never behind it): the same answer a relying party outside gets from <c>/pki/ca.crl</c>.
    /// </summary>
    public async Task<bool> IsRevokedAsync(X509Certificate2 certificate, CancellationToken ct)
    {
        var crl = CertificateRevocationListBuilder.Load(await CurrentCrlAsync(ct), out _);
        // The builder is a copy of the CRL's entries: removing one is how it tells whether the serial is listed.
        return crl.RemoveEntry(certificate.SerialNumberBytes.Span);
    }

    internal static IReadOnlyDictionary<string, string> Describe(IssuedCertificate issued) => new Dictionary<string, string>
    {
        ["serial"] = issued.SerialNumber,
        ["thumbprint"] = issued.Thumbprint,
        ["certificateId"] = issued.Id.ToString(),
    };

    private bool NearExpiry(CertificateAuthorityRecord record) =>
        record.CrlNextUpdate is not { } next || next - time.GetUtcNow() < options.Value.CrlLifetime / 2;

    private async Task<byte[]> RefreshCrlAsync(CancellationToken ct) =>
        await InLockedTransactionAsync(async (db, _) =>
        {
            var record = await db.Set<CertificateAuthorityRecord>().OrderBy(c => c.CreatedAt).FirstAsync(ct);
            // Another instance may have remade it while this one waited for the lock.
            if (record.Crl is { } fresh && !NearExpiry(record)) return fresh;
            return await BuildCrlAsync(db, ct);
        }, ct);

    /// <summary>A new CRL of every revoked certificate, numbered one above the last, signed in the HSM. Inside the lock.</summary>
    private async Task<byte[]> BuildCrlAsync(IdentityDb db, CancellationToken ct)
    {
        var record = await db.Set<CertificateAuthorityRecord>().OrderBy(c => c.CreatedAt).FirstAsync(ct);
        var authority = ToAuthority(record);
        var revoked = await db.Set<IssuedCertificate>().AsNoTracking()
            .Where(c => c.AuthorityId == record.Id && c.RevokedAt != null).OrderBy(c => c.RevokedAt).ToListAsync(ct);

        var builder = new CertificateRevocationListBuilder();
        foreach (var entry in revoked)
            builder.AddEntry(Convert.FromHexString(entry.SerialNumber), entry.RevokedAt!.Value, X509RevocationReason.Unspecified);

        var now = time.GetUtcNow();
        var number = record.CrlNumber + 1;
        var nextUpdate = now + options.Value.CrlLifetime;
        using var caKey = CaKey(authority);
        var crl = builder.Build(authority.Certificate.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1),
            new BigInteger(number), nextUpdate, HashAlgorithmName.SHA256,
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority.Certificate, true, false), now);
        record.Crl = crl;
        record.CrlNumber = number;
        record.CrlThisUpdate = now;
        record.CrlNextUpdate = nextUpdate;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Published CRL {CrlNumber} with {Count} revoked certificates, next update {NextUpdate}", number, revoked.Count, nextUpdate);
        return crl;
    }

    private CertificateAuthorityRecord Create()
    {
        var id = Guid.CreateVersion7();
        var label = $"esign-ca-{id:N}";
        using var key = hsm.GenerateRsaKeyPair(label, KeySizeInBits);
        var name = new X500DistinguishedNameBuilder();
        name.AddCountryOrRegion("RU");
        name.AddOrganizationName("Gosuslugi.Health");
        name.AddCommonName(options.Value.LocalCaName);
        var subject = name.Build();

        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        var subjectKeyId = new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false);
        request.CertificateExtensions.Add(subjectKeyId);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(subjectKeyId));

        var now = time.GetUtcNow();
        // Create, not CreateSelfSigned: the latter attaches the private key, which cannot leave the HSM.
        using var certificate = request.Create(subject, X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1),
            now.AddMinutes(-5), now + options.Value.LocalCaLifetime, NewSerial());
        logger.LogInformation("Created the local test CA {Subject} (key {KeyLabel} in the HSM)", subject.Name, label);
        return new CertificateAuthorityRecord
        {
            Id = id,
            HsmLabel = label,
            Certificate = certificate.RawData,
            Thumbprint = CertificateFormats.Thumbprint(certificate),
            CreatedAt = now,
            NotAfter = certificate.NotAfter.ToUniversalTime(),
        };
    }

    private HsmRsa CaKey(Authority authority) =>
        hsm.FindRsaKey(authority.HsmLabel) ?? throw new HsmUnavailableException($"The HSM does not hold the CA key {authority.HsmLabel}.");

    private static Authority ToAuthority(CertificateAuthorityRecord record) =>
        new(record.Id, record.HsmLabel, X509CertificateLoader.LoadCertificate(record.Certificate));

    /// <summary>A positive 128-bit random serial (RFC 5280 §4.1.2.2: at most 20 octets, unpredictable).</summary>
    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }

    private async Task<T> InLockedTransactionAsync<T>(Func<IdentityDb, IServiceProvider, Task<T>> action, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AuthorityLock})", ct);
            var result = await action(db, scope.ServiceProvider);
            await tx.CommitAsync(ct);
            return result;
        });
    }
}
