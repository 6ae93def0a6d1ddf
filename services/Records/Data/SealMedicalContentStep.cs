using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults.Data;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gosuslugi.Health.Records.Data;

/// <summary>
/// Encrypts in place what a database from before encryption at rest holds in clear: after migration
/// SealMedicalContent renamed the clear columns (<c>*_clear</c>), every row is sealed with its patient's data key into
/// the new columns and its clear values are set to null (<see cref="SealInPlace"/>). DropClearMedicalContent then
/// drops them.
/// </summary>
public sealed class SealMedicalContentStep(PatientDataKeys<RecordsDb> keys, ILogger<SealMedicalContentStep> logger)
    : IMigrationDataStep<RecordsDb>
{
    public string AfterMigration => "20261207170117_SealMedicalContent";

    public async Task RunAsync(RecordsDb db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var items = await SealInPlace.RunAsync(connection, keys, """
                SELECT id, patient_id, title_clear, details_clear::text, correction_reason_clear FROM record_items
                WHERE title IS NULL LIMIT @batch FOR UPDATE SKIP LOCKED
                """, (reader, cipher) => new(
                [
                    cipher.Seal(reader.GetString(2)).Bytes, cipher.Seal(reader.GetString(3)).Bytes,
                    reader.IsDBNull(4) ? null : cipher.Seal(reader.GetString(4)).Bytes,
                ]),
                "UPDATE record_items SET title = $2, details = $3, correction_reason = $4, title_clear = NULL, details_clear = NULL, correction_reason_clear = NULL WHERE id = $1",
                ct);
            var observations = await SealInPlace.RunAsync(connection, keys, """
                SELECT id, patient_id, analyte_name_clear, value_clear, value_text_clear, reference_low_clear,
                       reference_high_clear, reference_text_clear, comment_clear
                FROM observations WHERE content IS NULL LIMIT @batch FOR UPDATE SKIP LOCKED
                """, (reader, cipher) => new(
                [
                    new ObservationContent(reader.GetString(2), NullableDecimal(reader, 3), NullableString(reader, 4),
                        NullableDecimal(reader, 5), NullableDecimal(reader, 6), NullableString(reader, 7),
                        NullableString(reader, 8)).SealWith(cipher).Bytes,
                ]),
                """
                UPDATE observations SET content = $2, analyte_name_clear = NULL, value_clear = NULL, value_text_clear = NULL,
                    reference_low_clear = NULL, reference_high_clear = NULL, reference_text_clear = NULL, comment_clear = NULL
                WHERE id = $1
                """,
                ct);
            var documents = await SealInPlace.RunAsync(connection, keys, """
                SELECT id, patient_id, file_name_clear, content_clear FROM record_documents
                WHERE content IS NULL LIMIT @batch FOR UPDATE SKIP LOCKED
                """, (reader, cipher) => new(
                [
                    cipher.Seal(reader.GetString(2)).Bytes, cipher.Seal(reader.GetFieldValue<byte[]>(3)).Bytes,
                ]),
                "UPDATE record_documents SET file_name = $2, content = $3, file_name_clear = NULL, content_clear = NULL WHERE id = $1",
                ct);
            logger.LogInformation("Sealed {Items} record items, {Observations} values and {Documents} documents with their patients' keys",
                items, observations, documents);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static decimal? NullableDecimal(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDecimal(ordinal);
}
