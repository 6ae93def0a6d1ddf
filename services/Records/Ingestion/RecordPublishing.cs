using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Gosuslugi.Health.ServiceDefaults.Patients;

namespace Gosuslugi.Health.Records.Ingestion;

/// <summary>Who publishes: the organization of the token and its client.</summary>
public sealed record Publisher(Guid OrganizationId, string OrganizationName, string ClientId);

/// <summary>What became of a submitted item.</summary>
public abstract record PublishOutcome
{
    /// <summary>A new item, or a new version of one (a correction).</summary>
    public sealed record Published(RecordItem Item) : PublishOutcome;

    /// <summary>The same content as the current version: nothing changed.</summary>
    public sealed record Unchanged(RecordItem Item) : PublishOutcome;

    /// <summary>Refused; nothing changed.</summary>
    public sealed record Refused(int Status, string Path, string Message) : PublishOutcome;
}

/// <summary>
/// Stores a mapped item for the organization, keyed by (organization, external id): a first submission creates the
/// item, a resend of the same content changes nothing, different content is a correction (a new version with a
/// reason). The item, its values, its document, the MedicalRecordItemPublished event and the access event commit in
/// one transaction (the caller's, when it holds one: a transaction Bundle, saved by the caller). Its content is sealed
/// with the patient's data key.
/// </summary>
public static class RecordPublishing
{
    public const string Purpose = "внесение данных медицинской организацией";

    /// <summary>Concurrent submissions of one item: the loser of a race looks again (a repeat, or a correction of the winner).</summary>
    private const int Attempts = 3;

    public static async Task<PublishOutcome> PublishAsync(RecordsDb db, HttpContext http, Publisher publisher,
        IngestedItem ingested, KnownPatient patient, PatientCipher cipher, DateTimeOffset now, CancellationToken ct)
    {
        var contentHash = ContentHashing.Compute(ingested);
        for (var attempt = 1; ; attempt++)
        {
            var current = await db.Items.AsNoTracking().SingleOrDefaultAsync(
                i => i.OrganizationId == publisher.OrganizationId && i.ExternalId == ingested.ExternalId && i.IsCurrent, ct);

            if (current is not null)
            {
                if (current.ContentHash == contentHash && current.ResourceType == ingested.ResourceType)
                {
                    return new PublishOutcome.Unchanged(current);
                }
                if (current.ResourceType != ingested.ResourceType)
                {
                    return new PublishOutcome.Refused(StatusCodes.Status409Conflict, FhirProfile.ExternalIdPath(ingested.ResourceType),
                        $"Этот идентификатор уже использован для ресурса {current.ResourceType}.");
                }
                if (current.PatientId != patient.PatientId)
                {
                    return new PublishOutcome.Refused(StatusCodes.Status422UnprocessableEntity, "subject.identifier.value",
                        "Исправление не может изменить пациента: отмените запись и передайте новую с другим идентификатором.");
                }
                if (ingested.CorrectionReason is null)
                {
                    return new PublishOutcome.Refused(StatusCodes.Status422UnprocessableEntity, FhirProfile.CorrectionReasonPath,
                        "Запись с этим идентификатором уже передана с другими данными: укажите причину исправления.");
                }
            }

            var item = NewVersion(ingested, publisher, patient, cipher, current, contentHash, now);
            // Inside a transaction Bundle's transaction, whose entries commit together, nothing is retried (a race fails the
            // Bundle) and the caller saves all entries at once.
            var ambient = db.Database.CurrentTransaction is not null;
            await using var transaction = ambient ? null : await db.Database.BeginTransactionAsync(ct);
            try
            {
                if (current is not null)
                {
                    // Only one correction supersedes a version; a concurrent one finds it superseded and looks again.
                    var superseded = await db.Items
                        .Where(i => i.Id == current.Id && i.IsCurrent)
                        .ExecuteUpdateAsync(s => s.SetProperty(i => i.IsCurrent, false).SetProperty(i => i.SupersededAt, now), ct);
                    if (superseded == 0)
                    {
                        if (ambient) return Busy(ingested);
                        await transaction!.RollbackAsync(ct);
                        if (attempt < Attempts) continue;
                        return Busy(ingested);
                    }
                    await db.Observations
                        .Where(o => o.ItemId == current.Id)
                        .ExecuteUpdateAsync(s => s.SetProperty(o => o.IsCurrent, false), ct);
                }

                Add(db, http, item, ingested, cipher, current is null, now);
                if (transaction is not null)
                {
                    await db.SaveChangesAsync(ct);
                    await transaction.CommitAsync(ct);
                }
                return new PublishOutcome.Published(item);
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // A concurrent submission of the same item won the race; answer as for a repeat (or correct it).
                if (ambient) return Busy(ingested);
                await transaction!.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                if (attempt >= Attempts) return Busy(ingested);
            }
        }
    }

    private static PublishOutcome Busy(IngestedItem ingested) =>
        new PublishOutcome.Refused(StatusCodes.Status409Conflict, FhirProfile.ExternalIdPath(ingested.ResourceType),
            "Запись с этим идентификатором одновременно изменяется другим запросом; повторите запрос.");

    private static RecordItem NewVersion(IngestedItem ingested, Publisher publisher, KnownPatient patient, PatientCipher cipher, RecordItem? current,
        string contentHash, DateTimeOffset now)
    {
        var kindSection = RecordItemKinds.IsResult(ingested.Kind) ? RecordSections.LabResults : RecordSections.Visits;
        var codes = ingested.Diagnoses.Select(d => d.Code).Distinct(StringComparer.Ordinal).ToArray();
        return new RecordItem
        {
            RecordId = current?.RecordId ?? Guid.CreateVersion7(),
            Version = (current?.Version ?? 0) + 1,
            PatientId = patient.PatientId,
            OrganizationId = publisher.OrganizationId,
            OrganizationName = publisher.OrganizationName,
            ExternalId = ingested.ExternalId,
            Kind = ingested.Kind,
            ResourceType = ingested.ResourceType,
            Status = ingested.Status,
            Title = cipher.Seal(ingested.Title),
            EffectiveAt = ingested.EffectiveAt,
            DepartmentName = ingested.DepartmentName,
            DoctorId = ingested.DoctorId,
            DoctorName = ingested.DoctorName,
            Specialty = ingested.Specialty,
            Sections = SensitiveSections.For(kindSection, codes),
            DiagnosisCodes = codes,
            Details = cipher.Seal(ingested.Details),
            ContentHash = contentHash,
            SubmittedBy = publisher.ClientId,
            ReceivedAt = now,
            CorrectionReason = current is null ? null : cipher.SealOrNull(ingested.CorrectionReason),
            CorrectsItemId = current?.Id,
            HasDocument = ingested.Document is not null,
        };
    }

    private static void Add(RecordsDb db, HttpContext http, RecordItem item, IngestedItem ingested, PatientCipher cipher, bool isNew,
        DateTimeOffset now)
    {
        db.Items.Add(item);
        var position = 0;
        foreach (var o in ingested.Observations)
        {
            db.Observations.Add(new Observation
            {
                ItemId = item.Id,
                PatientId = item.PatientId,
                AnalyteCode = o.AnalyteCode,
                Content = new ObservationContent(o.AnalyteName, o.Value, o.ValueText, o.ReferenceLow, o.ReferenceHigh,
                    o.ReferenceText, o.Comment).SealWith(cipher),
                Unit = o.Unit,
                Interpretation = o.Interpretation,
                TakenAt = o.TakenAt,
                Position = position++,
            });
        }
        if (ingested.Document is { } document)
        {
            db.Documents.Add(new RecordDocument
            {
                ItemId = item.Id,
                PatientId = item.PatientId,
                ContentType = document.ContentType,
                FileName = cipher.Seal(document.FileName),
                Content = cipher.Seal(document.Content),
                Size = document.Content.Length,
                Sha256 = document.Sha256,
                ReceivedAt = now,
            });
        }

        db.AddOutboxEvent(new MedicalRecordItemPublished(item.Id, item.RecordId, item.PatientId, item.OrganizationId,
            item.OrganizationName, item.Kind, ingested.Title, item.Version, item.Sections, item.EffectiveAt,
            ingested.Observations.Count(o => Interpretations.IsAbnormal(o.Interpretation)), item.HasDocument, now));
        db.AddAccessEvent(http, item.PatientId, item.Sections[0], isNew ? AccessActions.Create : AccessActions.Change,
            Purpose, item.Id);
    }
}
