using System.Security.Cryptography;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Contracts.Prescriptions;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Fhir;
using Gosuslugi.Health.Prescriptions.Data;
using Gosuslugi.Health.Prescriptions.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Hl7.Fhir.Model;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gosuslugi.Health.Prescriptions.Publishing;

/// <summary>The organization a token was issued to (its name is shown to the patient).</summary>
public sealed record Publisher(Guid OrganizationId, string Name);

public abstract record PublishOutcome
{
    public sealed record Created(Prescription Prescription) : PublishOutcome;

    /// <summary>A resend of the same content, or a change (a new version).</summary>
    public sealed record Stored(Prescription Prescription, bool Changed) : PublishOutcome;

    public sealed record Refused(int Status, FhirIssues Issues) : PublishOutcome;
}

/// <summary>
/// Stores a MedicationRequest an organization sent: a new prescription, a resend (same content: nothing changes), or a
/// change (a new version, the patient told). Nothing is stored when anything is wrong.
/// </summary>
public static class PrescriptionPublishing
{
    public const string PublishPurpose = "внесение электронного рецепта";

    public static async Task<PublishOutcome> PublishAsync(PrescriptionsDb db, PatientDataKeys<PrescriptionsDb> keys, HttpContext http,
        Publisher publisher, MedicationRequest request, FhirIssues issues, DateTimeOffset now, CancellationToken ct)
    {
        var published = MedicationRequestProfile.Map(request, issues);
        // Looked up even when other elements are wrong, so that every problem is named at once.
        var snils = published?.Snils ?? MedicationRequestProfile.SnilsOf(request, issues);
        var patient = snils is null ? null : await db.KnownPatients.AsNoTracking().SingleOrDefaultAsync(p => p.Snils == snils, ct);
        if (snils is not null && patient is null)
        {
            issues.Add("subject.identifier.value", MedicationRequestProfile.UnknownPatient, OperationOutcome.IssueType.NotFound);
        }
        if (issues.Any || published is null || patient is null)
        {
            return new PublishOutcome.Refused(StatusCodes.Status422UnprocessableEntity, issues);
        }

        var hash = HashOf(published);
        // The key first: a new patient's key is committed on its own, outside the transaction below.
        var cipher = await keys.ForWritingAsync(patient.PatientId, ct);
        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Locked: a pharmacy dispensing meanwhile sees either the old version or the new one, never a mix.
            var existing = await db.Prescriptions
                .FromSql($"""
                    SELECT * FROM prescriptions
                    WHERE organization_id = {publisher.OrganizationId} AND external_id = {published.ExternalId}
                    FOR UPDATE
                    """)
                .AsTracking()
                .SingleOrDefaultAsync(ct);
            if (existing is not null)
            {
                if (existing.PatientId != patient.PatientId)
                {
                    issues.Add("identifier[0].value", "Рецепт с этим идентификатором выписан другому пациенту.", OperationOutcome.IssueType.Conflict);
                    return new PublishOutcome.Refused(StatusCodes.Status409Conflict, issues);
                }
                if (existing.ContentHash == hash)
                {
                    return new PublishOutcome.Stored(existing, Changed: false);
                }
                if (published.Quantity < existing.DispensedQuantity)
                {
                    issues.Add("dispenseRequest.quantity.value",
                        $"По рецепту уже отпущено {existing.DispensedQuantity}; количество не может быть меньше.", OperationOutcome.IssueType.BusinessRule);
                    return new PublishOutcome.Refused(StatusCodes.Status422UnprocessableEntity, issues);
                }
                Apply(existing, published, publisher, cipher, hash, now);
                existing.Version++;
                Announce(db, http, existing, AccessActions.Change, now);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return new PublishOutcome.Stored(existing, Changed: true);
            }

            var prescription = new Prescription
            {
                PatientId = patient.PatientId,
                OrganizationId = publisher.OrganizationId,
                OrganizationName = publisher.Name,
                ExternalId = published.ExternalId,
                ContentHash = hash,
                Content = null!,
                Status = published.Status,
                IssuedAt = now,
            };
            Apply(prescription, published, publisher, cipher, hash, now);
            db.Prescriptions.Add(prescription);
            Announce(db, http, prescription, AccessActions.Create, now);
            try
            {
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return new PublishOutcome.Created(prescription);
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } && attempt == 1)
            {
                // A concurrent first publication of the same prescription won; the retry treats this one as a resend.
                await transaction.RollbackAsync(ct);
                db.ChangeTracker.Clear();
            }
        }
    }

    private static void Apply(Prescription prescription, PublishedPrescription published, Publisher publisher, PatientCipher cipher,
        string hash, DateTimeOffset now)
    {
        prescription.OrganizationName = publisher.Name;
        prescription.ContentHash = hash;
        prescription.Content = published.Content.SealWith(cipher);
        prescription.Status = published.Status;
        prescription.Quantity = published.Quantity;
        prescription.Preferential = published.Preferential;
        prescription.AuthoredOn = published.AuthoredOn;
        prescription.ValidFrom = published.ValidFrom;
        prescription.ValidUntil = published.ValidUntil;
        prescription.UpdatedAt = now;
        if (prescription.Status == PrescriptionStatuses.Active && prescription.RemainingQuantity <= 0)
        {
            prescription.Status = PrescriptionStatuses.Completed;
        }
    }

    private static void Announce(PrescriptionsDb db, HttpContext http, Prescription prescription, string action, DateTimeOffset now)
    {
        db.AddOutboxEvent(new PrescriptionIssued(prescription.Id, prescription.PatientId, prescription.Version,
            prescription.OrganizationName, prescription.Status, prescription.ValidUntil, now));
        // The organization wrote into the patient's record: Audit learns it with the same commit.
        db.AddAccessEvent(http, prescription.PatientId, RecordSections.Prescriptions, action, PublishPurpose, prescription.Id);
    }

    /// <summary>SHA-256 (hex) of the normalized content: the same prescription sent again hashes the same.</summary>
    private static string HashOf(PublishedPrescription published) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(published)));
}
