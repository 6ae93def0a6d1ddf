using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.ServiceDefaults.Data;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gosuslugi.Health.Identity.Data;

/// <summary>
/// Encrypts in place the passports and OMS policies that a database from before sealed documents holds in clear: after
/// migration SealPersonDocuments renamed the clear columns (<c>*_clear</c>), each person's documents are sealed with
/// their data key into the new columns, the policy number gets its blind index, and the clear values are set to null
/// (<see cref="SealInPlace"/>). DropClearPersonDocuments then drops the clear columns.
/// </summary>
public sealed class SealPersonDocumentsStep(PatientDataKeys<IdentityDb> keys, DocumentBlindIndex blindIndex,
    ILogger<SealPersonDocumentsStep> logger) : IMigrationDataStep<IdentityDb>
{
    public string AfterMigration => "20261207195211_SealPersonDocuments";

    public async Task RunAsync(IdentityDb db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            // A person's documents are sealed with their own key: the user id is also the "patient" id.
            var total = await SealInPlace.RunAsync((NpgsqlConnection)db.Database.GetDbConnection(), keys, """
                SELECT id, id, passport_series_clear, passport_number_clear, passport_issued_on_clear,
                       oms_policy_number_clear, oms_insurer_clear, oms_valid_from_clear, oms_valid_to_clear
                FROM users
                WHERE passport_series_clear IS NOT NULL OR passport_number_clear IS NOT NULL OR passport_issued_on_clear IS NOT NULL
                   OR oms_policy_number_clear IS NOT NULL OR oms_insurer_clear IS NOT NULL
                   OR oms_valid_from_clear IS NOT NULL OR oms_valid_to_clear IS NOT NULL
                LIMIT @batch FOR UPDATE SKIP LOCKED
                """, SealAsync, """
                UPDATE users SET passport = $2, oms_policy = $3, oms_policy_number_index = $4,
                    passport_series_clear = NULL, passport_number_clear = NULL, passport_issued_on_clear = NULL,
                    oms_policy_number_clear = NULL, oms_insurer_clear = NULL, oms_valid_from_clear = NULL, oms_valid_to_clear = NULL
                WHERE id = $1
                """, ct);
            logger.LogInformation("Sealed the documents of {People} people with their data keys", total);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        async ValueTask<object?[]> SealAsync(NpgsqlDataReader reader, PatientCipher cipher)
        {
            // The previous version wrote series and number together, and a policy number with its insurer and dates;
            // a part without the rest is kept (as an empty string) rather than lost.
            var series = NullableString(reader, 2);
            var number = NullableString(reader, 3);
            var issuedOn = NullableDate(reader, 4);
            var passport = series is null && number is null && issuedOn is null ? null : new PassportDetails(series ?? "", number ?? "", issuedOn);
            var omsNumber = NullableString(reader, 5);
            var insurer = NullableString(reader, 6);
            var validFrom = NullableDate(reader, 7);
            var validTo = NullableDate(reader, 8);
            var policy = omsNumber is null && insurer is null && validFrom is null && validTo is null
                ? null : new OmsPolicyDetails(omsNumber ?? "", insurer, validFrom, validTo);
            return
            [
                passport?.SealWith(cipher).Bytes,
                policy?.SealWith(cipher).Bytes,
                policy is { Number.Length: > 0 } ? await blindIndex.OmsPolicyNumberAsync(policy.Number, ct) : null,
            ];
        }
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateOnly? NullableDate(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateOnly>(ordinal);
}
