using Gosuslugi.Health.Contracts.SickLeave;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Gosuslugi.Health.SickLeave.Data;
using Gosuslugi.Health.SickLeave.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gosuslugi.Health.SickLeave.Certificates;

public enum PublishResult
{
    /// <summary>A new certificate (201).</summary>
    Created,

    /// <summary>A new version of the organization's certificate: extended, closed, annulled or corrected (200).</summary>
    Changed,

    /// <summary>The same content and status as the current version: nothing changed (200, the same answer).</summary>
    Repeated,

    /// <summary>Not a transition the certificate allows, or a number that belongs elsewhere (409).</summary>
    Conflict,

    /// <summary>Valid JSON, but not acceptable: an unknown SNILS, a new certificate already annulled (422).</summary>
    Unprocessable,
}

/// <summary>What a publication came to; <see cref="Certificate"/> and <see cref="Content"/> are the current state.</summary>
public sealed record PublishOutcome(PublishResult Result, SickLeaveCertificate? Certificate = null, CertificateContent? Content = null,
    string? Field = null, string? Message = null);

/// <summary>The organization that publishes: the one its access token names.</summary>
public sealed record Publisher(Guid OrganizationId, string OrganizationName, string ClientId);

/// <summary>
/// A medical organization publishes a certificate: the first time it is created, then every publication with the same
/// number either repeats the current version (same content and status: nothing happens, the same answer) or is a new
/// version whose status change the life cycle allows (<see cref="SickLeaveRules.TransitionRefusal"/>) and that keeps
/// the periods already issued. Each new version is sealed, kept, and announced (<see cref="SickLeaveCertificateChanged"/>).
/// </summary>
public sealed class CertificatePublishing(SickLeaveDb db, PatientDataKeys<SickLeaveDb> keys, TimeProvider time,
    ILogger<CertificatePublishing> logger)
{
    /// <summary>The context the publication commits in, for what the caller adds to the same commit.</summary>
    public SickLeaveDb Db => db;

    /// <param name="beforeSave">Adds what commits with the change (the access event of the request that published it).</param>
    public async Task<PublishOutcome> PublishAsync(ValidCertificate valid, Publisher publisher,
        Action<SickLeaveCertificate, bool>? beforeSave, CancellationToken ct)
    {
        var patient = await db.KnownPatients.AsNoTracking().SingleOrDefaultAsync(p => p.Snils == valid.Snils, ct);
        if (patient is null)
        {
            return new PublishOutcome(PublishResult.Unprocessable, Field: "snils",
                Message: "Пациент с таким СНИЛС не зарегистрирован в сервисе.");
        }

        try
        {
            return await PublishForAsync(patient.PatientId, valid, publisher, beforeSave, ct);
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException
                                          || e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // A concurrent publication of the same number won: decide again against what it stored (a retry of the
            // same content is then a repeat).
            db.ChangeTracker.Clear();
            return await PublishForAsync(patient.PatientId, valid, publisher, beforeSave, ct);
        }
    }

    private async Task<PublishOutcome> PublishForAsync(Guid patientId, ValidCertificate valid, Publisher publisher,
        Action<SickLeaveCertificate, bool>? beforeSave, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var hash = valid.Content.Hash(valid.Status);
        var certificate = await db.Certificates.SingleOrDefaultAsync(c => c.Number == valid.Number, ct);
        var cipher = await keys.ForWritingAsync(patientId, ct);

        if (certificate is null)
        {
            if (valid.Status == SickLeaveStatuses.Annulled)
            {
                return new PublishOutcome(PublishResult.Unprocessable, Field: "status",
                    Message: "Новый листок нетрудоспособности не может быть опубликован аннулированным.");
            }

            certificate = new SickLeaveCertificate
            {
                PatientId = patientId,
                OrganizationId = publisher.OrganizationId,
                OrganizationName = publisher.OrganizationName,
                Number = valid.Number,
                Status = valid.Status,
                StartsOn = valid.Content.StartsOn,
                EndsOn = valid.Content.EndsOn,
                Content = cipher.Seal(valid.Content.ToJson()),
                ContentHash = hash,
                PublishedAt = now,
                UpdatedAt = now,
            };
            db.Certificates.Add(certificate);
            await SaveVersionAsync(certificate, valid.Content, publisher, now, created: true, beforeSave, ct);
            logger.LogInformation("Sick-leave certificate {CertificateId} published by organization {OrganizationId}",
                certificate.Id, publisher.OrganizationId);
            return new PublishOutcome(PublishResult.Created, certificate, valid.Content);
        }

        // Whose the number is decides before anything is compared: another organization learns nothing of the content.
        if (certificate.OrganizationId != publisher.OrganizationId)
        {
            return Conflict("Листок нетрудоспособности с этим номером опубликован другой медицинской организацией.");
        }
        if (certificate.PatientId != patientId)
        {
            return Conflict("Листок нетрудоспособности с этим номером выписан другому пациенту.", certificate);
        }

        var current = CertificateContent.FromJson(cipher.Open(certificate.Content));
        if (certificate.ContentHash == hash)
        {
            return new PublishOutcome(PublishResult.Repeated, certificate, current);
        }

        if (SickLeaveRules.TransitionRefusal(certificate.Status, valid.Status) is { } refusal)
        {
            return Conflict(refusal, certificate);
        }
        if (!valid.Content.KeepsPeriodsOf(current)
            || (valid.Status == SickLeaveStatuses.Annulled && valid.Content.Periods.Count != current.Periods.Count))
        {
            return Conflict("Выданные периоды нетрудоспособности не изменяются: продление добавляет новый период.", certificate);
        }

        certificate.Version++;
        certificate.Status = valid.Status;
        certificate.StartsOn = valid.Content.StartsOn;
        certificate.EndsOn = valid.Content.EndsOn;
        certificate.Content = cipher.Seal(valid.Content.ToJson());
        certificate.ContentHash = hash;
        certificate.OrganizationName = publisher.OrganizationName;
        certificate.UpdatedAt = now;
        await SaveVersionAsync(certificate, valid.Content, publisher, now, created: false, beforeSave, ct);
        logger.LogInformation("Sick-leave certificate {CertificateId} is now {Status} (version {Version})",
            certificate.Id, certificate.Status, certificate.Version);
        return new PublishOutcome(PublishResult.Changed, certificate, valid.Content);
    }

    private async Task SaveVersionAsync(SickLeaveCertificate certificate, CertificateContent content, Publisher publisher,
        DateTimeOffset now, bool created, Action<SickLeaveCertificate, bool>? beforeSave, CancellationToken ct)
    {
        var clientId = publisher.ClientId.Length <= SickLeaveRules.ByLength ? publisher.ClientId : publisher.ClientId[..SickLeaveRules.ByLength];
        db.CertificateVersions.Add(new CertificateVersion
        {
            CertificateId = certificate.Id,
            PatientId = certificate.PatientId,
            Version = certificate.Version,
            Status = certificate.Status,
            // The same sealed bytes as the current row: one encryption, two rows.
            Content = certificate.Content,
            ContentHash = certificate.ContentHash,
            SubmittedBy = clientId,
            ReceivedAt = now,
        });
        db.AddOutboxEvent(new SickLeaveCertificateChanged(certificate.Id, certificate.PatientId, certificate.OrganizationId,
            certificate.OrganizationName, certificate.Number, certificate.Status, certificate.Version, content.StartsOn,
            content.EndsOn, content.ReturnToWorkOn, now));
        beforeSave?.Invoke(certificate, created);
        await db.SaveChangesAsync(ct);
    }

    private static PublishOutcome Conflict(string message, SickLeaveCertificate? certificate = null) =>
        new(PublishResult.Conflict, certificate, Message: message);
}
