using Gosuslugi.Health.Fhir;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Hl7.Fhir.Model;
using Hl7.Fhir.Validation;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Gosuslugi.Health.ServiceDefaults.Patients;

namespace Gosuslugi.Health.Records.Ingestion;

/// <summary>What became of a submitted resource or transaction Bundle.</summary>
public abstract record IngestionOutcome
{
    /// <summary>Nothing stored; <see cref="Issues"/> names every problem (by entry in a Bundle).</summary>
    public sealed record Refused(int Status, FhirIssues Issues) : IngestionOutcome;

    /// <summary>Every entry stored (or found unchanged), in the order sent.</summary>
    public sealed record Stored(IReadOnlyList<StoredEntry> Entries) : IngestionOutcome;
}

/// <param name="Outcome">Published or Unchanged.</param>
public sealed record StoredEntry(PublishOutcome Outcome, RecordItem Item, IngestedItem Ingested, PatientCipher Cipher);

/// <summary>One resource of a submission, read by the SDK, with the issues it already has (its root is its FHIRPath).</summary>
public sealed record SubmittedResource(Resource Resource, FhirIssues Issues);

/// <summary>
/// Ingests resources an organization submits: each is mapped against the profile and its patient found by SNILS, every
/// problem of every resource named; only when there is none are they stored — one resource on its own, the entries of a
/// transaction Bundle all in one database transaction, so that one refused entry leaves nothing stored.
/// </summary>
public static class RecordIngestion
{
    public const string UnknownPatient = "Пациент с таким СНИЛС не зарегистрирован в сервисе.";

    public static async Task<IngestionOutcome> IngestAsync(RecordsDb db, PatientDataKeys<RecordsDb> keys, HttpContext http,
        Publisher publisher, IReadOnlyList<SubmittedResource> submitted, FhirIssues allIssues, DateTimeOffset now, CancellationToken ct)
    {
        var prepared = new List<(IngestedItem Item, KnownPatient Patient, FhirIssues Issues)>();
        var patients = new Dictionary<string, KnownPatient?>(StringComparer.Ordinal);
        foreach (var (resource, issues) in submitted)
        {
            var read = new ProfileReading(issues, now);
            IngestedItem? item;
            try
            {
                item = FhirProfile.Map(resource, read);
            }
            catch (CodedValidationException) when (issues.Any)
            {
                // The SDK's partial resource throws on reading an element it found invalid, and has named it already;
                // the profile's problems found until then stay named.
                item = null;
            }
            // The patient is looked up even when other elements are wrong, so that every problem is named at once.
            var snils = item?.Snils ?? (issues.Has("subject") ? null : FhirProfile.SnilsOf(resource));
            KnownPatient? patient = null;
            if (snils is not null && !patients.TryGetValue(snils, out patient))
            {
                // A Bundle's entries are mostly of one patient: looked up once.
                patient = patients[snils] = await db.KnownPatients.AsNoTracking().SingleOrDefaultAsync(p => p.Snils == snils, ct);
            }
            if (snils is not null && patient is null)
            {
                read.Fail("subject.identifier.value", UnknownPatient);
            }
            if (item is not null && patient is not null) prepared.Add((item, patient, issues));
        }
        // Entries are stored together and saved at once: each item of a Bundle once.
        var identifiers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (item, _, issues) in prepared)
        {
            if (!identifiers.Add(item.ExternalId))
            {
                issues.Add(FhirProfile.ExternalIdPath(item.ResourceType),
                    "Этот идентификатор уже есть у другого ресурса этого Bundle.", OperationOutcome.IssueType.Duplicate);
            }
        }
        if (allIssues.Any || prepared.Count != submitted.Count)
        {
            return new IngestionOutcome.Refused(StatusCodes.Status422UnprocessableEntity, allIssues);
        }

        // Keys first: a new patient's key is stored on its own, outside the transaction below.
        var ciphers = new List<PatientCipher>();
        foreach (var (_, patient, _) in prepared) ciphers.Add(await keys.ForWritingAsync(patient.PatientId, ct));

        await using var transaction = prepared.Count > 1 ? await db.Database.BeginTransactionAsync(ct) : null;
        var stored = new List<StoredEntry>();
        for (var i = 0; i < prepared.Count; i++)
        {
            var (item, patient, issues) = prepared[i];
            var outcome = await RecordPublishing.PublishAsync(db, http, publisher, item, patient, ciphers[i], now, ct);
            switch (outcome)
            {
                case PublishOutcome.Published(var published):
                    stored.Add(new StoredEntry(outcome, published, item, ciphers[i]));
                    break;
                case PublishOutcome.Unchanged(var unchanged):
                    stored.Add(new StoredEntry(outcome, unchanged, item, ciphers[i]));
                    break;
                case PublishOutcome.Refused(var status, var path, var message):
                    if (transaction is not null) await transaction.RollbackAsync(ct);
                    db.ChangeTracker.Clear();
                    issues.Add(path, message, status == StatusCodes.Status409Conflict
                        ? OperationOutcome.IssueType.Conflict : OperationOutcome.IssueType.BusinessRule);
                    return new IngestionOutcome.Refused(status, allIssues);
                default:
                    throw new InvalidOperationException($"Unexpected outcome {outcome}.");
            }
        }
        if (transaction is not null)
        {
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Another request stored one of these items meanwhile; the Bundle as a whole can be sent again.
                await transaction.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                allIssues.Add("entry", "Записи с этими идентификаторами одновременно изменяются другим запросом; повторите запрос.",
                    OperationOutcome.IssueType.Conflict);
                return new IngestionOutcome.Refused(StatusCodes.Status409Conflict, allIssues);
            }
            await transaction.CommitAsync(ct);
        }
        return new IngestionOutcome.Stored(stored);
    }
}
