using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.ServiceDefaults.Data;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Gosuslugi.Health.Identity.Data;

/// <summary>
/// Encrypts in place the passports and OMS policies that a database from before sealed documents holds in clear: after
/// migration SealPersonDocuments renamed the clear columns (<c>*_clear</c>), each person's documents are sealed with
/// their data key into the new columns, the policy number gets its blind index, and the clear values are set to null,
/// a batch per transaction (rows claimed with SKIP LOCKED, so a second instance shares the work and a crash resumes
/// where it stopped). DropClearPersonDocuments then drops the clear columns. Raw SQL: they are no longer in the model.
/// </summary>
public sealed class SealPersonDocumentsStep(PatientDataKeys<IdentityDb> keys, DocumentBlindIndex blindIndex,
    ILogger<SealPersonDocumentsStep> logger) : IMigrationDataStep<IdentityDb>
{
    private const int BatchSize = 500;

    public string AfterMigration => "20261207195211_SealPersonDocuments";

    public async Task RunAsync(IdentityDb db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var total = 0;
            while (await SealBatchAsync(connection, ct) is var sealedRows and > 0) total += sealedRows;
            logger.LogInformation("Sealed the documents of {People} people with their data keys", total);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<int> SealBatchAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var rows = new List<(Guid Id, byte[]? Passport, byte[]? OmsPolicy, byte[]? OmsPolicyNumberIndex)>();
        await using (var select = new NpgsqlCommand("""
            SELECT id, passport_series_clear, passport_number_clear, passport_issued_on_clear,
                   oms_policy_number_clear, oms_insurer_clear, oms_valid_from_clear, oms_valid_to_clear
            FROM users
            WHERE passport_series_clear IS NOT NULL OR passport_number_clear IS NOT NULL OR passport_issued_on_clear IS NOT NULL
               OR oms_policy_number_clear IS NOT NULL OR oms_insurer_clear IS NOT NULL
               OR oms_valid_from_clear IS NOT NULL OR oms_valid_to_clear IS NOT NULL
            LIMIT @batch FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("batch", BatchSize);
            await using var reader = await select.ExecuteReaderAsync(ct);
            var people = new List<(Guid Id, PassportDetails? Passport, OmsPolicyDetails? OmsPolicy)>();
            while (await reader.ReadAsync(ct))
            {
                // The previous version wrote series and number together, and a policy number with its insurer and dates;
                // a part without the rest is kept (as an empty string) rather than lost.
                var series = NullableString(reader, 1);
                var number = NullableString(reader, 2);
                var issuedOn = NullableDate(reader, 3);
                var passport = series is null && number is null && issuedOn is null ? null : new PassportDetails(series ?? "", number ?? "", issuedOn);
                var omsNumber = NullableString(reader, 4);
                var insurer = NullableString(reader, 5);
                var validFrom = NullableDate(reader, 6);
                var validTo = NullableDate(reader, 7);
                var policy = omsNumber is null && insurer is null && validFrom is null && validTo is null
                    ? null : new OmsPolicyDetails(omsNumber ?? "", insurer, validFrom, validTo);
                people.Add((reader.GetGuid(0), passport, policy));
            }
            await reader.CloseAsync();
            foreach (var (id, passport, policy) in people)
            {
                var cipher = await keys.ForWritingAsync(id, ct);
                rows.Add((id, passport?.SealWith(cipher).Bytes, policy?.SealWith(cipher).Bytes,
                    policy is { Number.Length: > 0 } ? await blindIndex.OmsPolicyNumberAsync(policy.Number, ct) : null));
            }
        }
        if (rows.Count == 0) return 0;

        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            foreach (var row in rows)
            {
                var command = new NpgsqlBatchCommand("""
                    UPDATE users SET passport = $2, oms_policy = $3, oms_policy_number_index = $4,
                        passport_series_clear = NULL, passport_number_clear = NULL, passport_issued_on_clear = NULL,
                        oms_policy_number_clear = NULL, oms_insurer_clear = NULL, oms_valid_from_clear = NULL, oms_valid_to_clear = NULL
                    WHERE id = $1
                    """);
                command.Parameters.Add(new NpgsqlParameter { Value = row.Id });
                command.Parameters.Add(Bytes(row.Passport));
                command.Parameters.Add(Bytes(row.OmsPolicy));
                command.Parameters.Add(Bytes(row.OmsPolicyNumberIndex));
                batch.BatchCommands.Add(command);
            }
            await batch.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return rows.Count;
    }

    private static NpgsqlParameter Bytes(byte[]? value) => new() { NpgsqlDbType = NpgsqlDbType.Bytea, Value = (object?)value ?? DBNull.Value };

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateOnly? NullableDate(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateOnly>(ordinal);
}
