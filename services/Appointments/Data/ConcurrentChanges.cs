using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gosuslugi.Health.Appointments.Data;

/// <summary>What the service does when requests about the same rows cross, whatever the number of instances.</summary>
public static class ConcurrentChanges
{
    /// <summary>The save broke a unique index: a concurrent request stored the same thing first.</summary>
    public static bool IsUniqueViolation(this DbUpdateException e) =>
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>
    /// Saves an upsert; a unique violation means a concurrent request with the same ids won the race, so the caller reads
    /// again and repeats its upsert once (the second time the row exists and is updated).
    /// </summary>
    /// <param name="attempt">0 for the first try; a second violation is not a race and is thrown.</param>
    public static async Task<bool> TrySaveUpsertAsync(this AppointmentsDb db, int attempt, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation() && attempt == 0)
        {
            db.ChangeTracker.Clear();
            if (db.Database.CurrentTransaction is { } transaction)
            {
                await transaction.RollbackAsync(ct);
            }

            return false;
        }
    }

    /// <summary>
    /// The patient's changes that check what the patient already has (an open attachment request, waitlist entries) take
    /// turns until the end of the transaction: an advisory lock on a stable 64-bit key of the patient.
    /// </summary>
    public static Task LockPatientAsync(this AppointmentsDb db, Guid patientId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({BitConverter.ToInt64(patientId.ToByteArray(), 8)})", ct);
}
