using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gosuslugi.Health.ServiceDefaults.Encryption;

/// <summary>
/// For an <c>IMigrationDataStep</c> that encrypts an existing database in place: after a migration has renamed the clear
/// columns and added the sealed ones, rows are claimed a batch per transaction (<c>FOR UPDATE SKIP LOCKED</c>, so a
/// second instance shares the work and a crash resumes where it stopped), sealed with their patient's data key and
/// updated, until the select finds none. Raw SQL: the clear columns are no longer in the model.
/// </summary>
public static class SealInPlace
{
    private const int BatchSize = 500;

    /// <param name="select">Claims a batch: the row's id first, its patient's id second, <c>LIMIT @batch FOR UPDATE SKIP LOCKED</c>;
    /// it must find none once a row is updated.</param>
    /// <param name="seal">The values of the update's <c>$2</c>, <c>$3</c>, ... for the current row (null for SQL NULL).</param>
    /// <param name="update">Writes one row: <c>$1</c> is its id.</param>
    /// <returns>How many rows were sealed.</returns>
    public static async Task<int> RunAsync<TDb>(NpgsqlConnection connection, PatientDataKeys<TDb> keys, string select,
        Func<NpgsqlDataReader, PatientCipher, ValueTask<object?[]>> seal, string update, CancellationToken ct)
        where TDb : DbContext, IPatientDataKeyStore
    {
        var total = 0;
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var rows = new List<(Guid Id, object?[] Sealed)>();
            await using (var command = new NpgsqlCommand(select, connection, transaction))
            {
                command.Parameters.AddWithValue("batch", BatchSize);
                await using var reader = await command.ExecuteReaderAsync(ct);
                var ciphers = new Dictionary<Guid, PatientCipher>();
                while (await reader.ReadAsync(ct))
                {
                    var patientId = reader.GetGuid(1);
                    if (!ciphers.TryGetValue(patientId, out var cipher))
                        ciphers[patientId] = cipher = await keys.ForWritingAsync(patientId, ct);
                    rows.Add((reader.GetGuid(0), await seal(reader, cipher)));
                }
            }
            if (rows.Count == 0) return total;

            await using (var batch = new NpgsqlBatch(connection, transaction))
            {
                foreach (var row in rows)
                {
                    var command = new NpgsqlBatchCommand(update);
                    command.Parameters.Add(new NpgsqlParameter { Value = row.Id });
                    foreach (var value in row.Sealed) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
                    batch.BatchCommands.Add(command);
                }
                await batch.ExecuteNonQueryAsync(ct);
            }
            await transaction.CommitAsync(ct);
            total += rows.Count;
        }
    }
}
