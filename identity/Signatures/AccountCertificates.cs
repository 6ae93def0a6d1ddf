using System.Security.Cryptography.X509Certificates;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Signatures;

/// <summary>A certificate linked to the signed-in person's own account, as its owner sees it.</summary>
public sealed record LinkedCertificateView(Guid Id, string Subject, string SerialNumber, string Thumbprint, string Issuer,
    DateTimeOffset NotBefore, DateTimeOffset NotAfter, DateTimeOffset LinkedAt, DateTimeOffset? LastUsedAt);

/// <summary>A certificate the local CA issued for the person, with the certificate itself (PEM) to install and link.</summary>
public sealed record IssuedCertificateView(Guid Id, string SerialNumber, string Thumbprint, DateTimeOffset NotBefore,
    DateTimeOffset NotAfter, DateTimeOffset? RevokedAt, string Certificate);

/// <summary>
/// What an operator sees of an account's certificates: identifiers, dates and state. Never the subject (the person's
/// name and SNILS) nor the certificate, in line with the rest of the admin views.
/// </summary>
public sealed record AdminCertificateView(Guid Id, string Kind, string SerialNumber, string Thumbprint,
    DateTimeOffset NotBefore, DateTimeOffset NotAfter, DateTimeOffset Since, DateTimeOffset? RevokedAt, DateTimeOffset? UnlinkedAt);

public enum LinkOutcome { Linked, Malformed, Refused, NoSnils, SnilsMismatch, AlreadyLinked }

/// <param name="Check">Why the certificate itself was refused (when <see cref="LinkOutcome.Refused"/>).</param>
public sealed record LinkResult(LinkOutcome Outcome, LinkedCertificateView? Certificate = null, CertificateCheck Check = CertificateCheck.Valid);

/// <summary>
/// A person's certificates: linking one (checked like at every use, and the subject's SNILS must be the account's),
/// listing, unlinking; and the certificates the local CA issued for them.
/// </summary>
public sealed class AccountCertificates(IdentityDb db, CertificateValidator validator, SecurityEvents events, TimeProvider time,
    ILogger<AccountCertificates> logger)
{
    private const int MaxIssuerLength = 1000;

    public async Task<LinkResult> LinkAsync(HealthUser user, string? certificateText, CancellationToken ct)
    {
        using var certificate = CertificateFormats.ParseCertificate(certificateText);
        if (certificate is null) return new LinkResult(LinkOutcome.Malformed);

        var thumbprint = CertificateFormats.Thumbprint(certificate);
        var details = new Dictionary<string, string> { ["serial"] = certificate.SerialNumber, ["thumbprint"] = thumbprint };
        async Task<LinkResult> RefuseAsync(LinkResult result, string reason)
        {
            details["reason"] = reason;
            await events.PublishAsync(SecurityEventKinds.CertificateLinked, user.Id, SecurityEvents.Failure, details, ct: ct);
            return result;
        }

        var check = await validator.CheckAsync(certificate, null, ct);
        if (check != CertificateCheck.Valid)
            return await RefuseAsync(new LinkResult(LinkOutcome.Refused, Check: check), new SignatureCheck(SignatureCheck.FailureOf(check), null, null).Reason);
        if (user.Snils is null) return await RefuseAsync(new LinkResult(LinkOutcome.NoSnils), "account_without_snils");
        if (QualifiedSubject.Read(certificate.SubjectName).Snils != user.Snils)
            return await RefuseAsync(new LinkResult(LinkOutcome.SnilsMismatch), "snils_mismatch");
        if (await db.Set<LinkedCertificate>().AnyAsync(c => c.Thumbprint == thumbprint && c.UnlinkedAt == null, ct))
            return await RefuseAsync(new LinkResult(LinkOutcome.AlreadyLinked), "already_linked");

        var linked = new LinkedCertificate
        {
            UserId = user.Id,
            Thumbprint = thumbprint,
            SerialNumber = certificate.SerialNumber,
            // Shown to the person only; a trusted CA's name is far shorter than the column.
            Issuer = certificate.Issuer.Length <= MaxIssuerLength ? certificate.Issuer : certificate.Issuer[..MaxIssuerLength],
            Certificate = certificate.RawData,
            NotBefore = certificate.NotBefore.ToUniversalTime(),
            NotAfter = certificate.NotAfter.ToUniversalTime(),
            LinkedAt = time.GetUtcNow(),
        };
        db.Add(linked);
        details["certificateId"] = linked.Id.ToString();
        events.Add(SecurityEventKinds.CertificateLinked, user.Id, SecurityEvents.Success, details);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // Linked by a concurrent request (to this or another account) between the check and the insert.
            db.ChangeTracker.Clear();
            return await RefuseAsync(new LinkResult(LinkOutcome.AlreadyLinked), "already_linked");
        }
        logger.LogInformation("User {UserId} linked certificate {Serial}", user.Id, linked.SerialNumber);
        return new LinkResult(LinkOutcome.Linked, View(linked));
    }

    public async Task<IReadOnlyList<LinkedCertificateView>> ListAsync(HealthUser user, CancellationToken ct) =>
        (await db.Set<LinkedCertificate>().AsNoTracking().Where(c => c.UserId == user.Id && c.UnlinkedAt == null)
            .OrderBy(c => c.LinkedAt).ToListAsync(ct)).Select(View).ToList();

    /// <summary>One of the person's linked certificates; null for another person's, exactly as for none.</summary>
    public async Task<LinkedCertificateView?> FindAsync(HealthUser user, Guid id, CancellationToken ct) =>
        await db.Set<LinkedCertificate>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id && c.UserId == user.Id && c.UnlinkedAt == null, ct)
            is { } linked ? View(linked) : null;

    /// <summary>Stops the certificate signing the person in; false when it is not theirs or not linked.</summary>
    public async Task<bool> UnlinkAsync(HealthUser user, Guid id, CancellationToken ct)
    {
        var linked = await db.Set<LinkedCertificate>().SingleOrDefaultAsync(c => c.Id == id && c.UserId == user.Id && c.UnlinkedAt == null, ct);
        if (linked is null) return false;
        linked.UnlinkedAt = time.GetUtcNow();
        events.Add(SecurityEventKinds.CertificateUnlinked, user.Id, SecurityEvents.Success, new Dictionary<string, string>
        {
            ["serial"] = linked.SerialNumber,
            ["thumbprint"] = linked.Thumbprint,
            ["certificateId"] = linked.Id.ToString(),
        });
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>The certificates the local CA issued for the person, to install with their key and link.</summary>
    public async Task<IReadOnlyList<IssuedCertificateView>> IssuedAsync(HealthUser user, CancellationToken ct) =>
        (await db.Set<IssuedCertificate>().AsNoTracking().Where(c => c.AccountId == user.Id).OrderBy(c => c.IssuedAt).ToListAsync(ct))
        .Select(c => new IssuedCertificateView(c.Id, c.SerialNumber, c.Thumbprint, c.NotBefore, c.NotAfter, c.RevokedAt,
            CertificateFormats.Pem("CERTIFICATE", c.Certificate)))
        .ToList();

    /// <summary>An account's certificates as an operator may see them; null when there is no such account.</summary>
    public async Task<IReadOnlyList<AdminCertificateView>?> ForAdminAsync(Guid accountId, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == accountId, ct)) return null;
        var issued = await db.Set<IssuedCertificate>().AsNoTracking().Where(c => c.AccountId == accountId)
            .Select(c => new AdminCertificateView(c.Id, "issued", c.SerialNumber, c.Thumbprint, c.NotBefore, c.NotAfter, c.IssuedAt, c.RevokedAt, null))
            .ToListAsync(ct);
        var linked = await db.Set<LinkedCertificate>().AsNoTracking().Where(c => c.UserId == accountId)
            .Select(c => new AdminCertificateView(c.Id, "linked", c.SerialNumber, c.Thumbprint, c.NotBefore, c.NotAfter, c.LinkedAt, null, c.UnlinkedAt))
            .ToListAsync(ct);
        return [.. issued.Concat(linked).OrderBy(c => c.Since)];
    }

    private static LinkedCertificateView View(LinkedCertificate c)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(c.Certificate);
        return new LinkedCertificateView(c.Id, QualifiedSubject.Read(certificate.SubjectName).CommonName, c.SerialNumber, c.Thumbprint,
            c.Issuer, c.NotBefore, c.NotAfter, c.LinkedAt, c.LastUsedAt);
    }
}
