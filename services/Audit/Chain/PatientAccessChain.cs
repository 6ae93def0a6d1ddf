using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gosuslugi.Health.Audit.Data;
using Gosuslugi.Health.Audit.Domain;
using Gosuslugi.Health.Contracts.Audit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Audit.Chain;

/// <summary>
/// Each patient's access log is a hash chain of its own: an entry's hash is SHA-256 over the previous entry's hash (of
/// the same patient) and the entry's canonical content, as in <see cref="SecurityEventChain"/>. Appends for one patient
/// are serialized by a transaction-scoped advisory lock on that patient (patients do not contend with each other), with
/// unique (patient, sequence) and (patient, previous hash) as a second line, so concurrent consumers never fork a chain.
/// </summary>
public static class PatientAccessChain
{
    public const string GenesisHash = SecurityEventChain.GenesisHash;

    // First key of the two-key advisory locks: "acce". Two-key locks never collide with the one-key lock of the
    // security chain; the second key is a hash of the patient id (a collision only makes two patients wait in turn).
    private const int LockNamespace = 0x6163_6365;

    private const int VerifyBatch = 1000;

    /// <summary>
    /// Appends the event at the head of its patient's chain within the caller's transaction (the lock lasts until it
    /// ends). Returns null when the event (by its EventId) is already chained.
    /// </summary>
    public static async Task<AccessEventEntry?> AppendAsync(AuditDb db, PatientDataAccessed message, DateTimeOffset now, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Appending to the chain needs a transaction: the lock lasts until it ends.");
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0}, hashtext({1}))",
            [LockNamespace, message.PatientId.ToString("D")], ct);

        if (await db.AccessEvents.AnyAsync(e => e.EventId == message.EventId, ct)) return null;
        var head = await db.AccessEvents.AsNoTracking()
            .Where(e => e.PatientId == message.PatientId)
            .OrderByDescending(e => e.PatientSequence)
            .Select(e => new { e.PatientSequence, e.Hash })
            .FirstOrDefaultAsync(ct);

        var entry = new AccessEventEntry
        {
            PatientId = message.PatientId,
            PatientSequence = (head?.PatientSequence ?? 0) + 1,
            EventId = message.EventId,
            ActorId = message.ActorId,
            ActorRole = Required(message.ActorRole, 40),
            ActorName = Limit(message.ActorName, 300),
            OrganizationId = message.OrganizationId,
            OrganizationName = Limit(message.OrganizationName, 300),
            DelegationId = message.DelegationId,
            ClientId = Limit(message.ClientId, 100),
            Service = Required(message.Service, 50),
            Section = Required(message.Section, 50),
            ItemId = message.ItemId,
            Action = Required(message.Action, 20),
            Purpose = Required(message.Purpose, 300),
            IpAddress = Limit(message.IpAddress, 64),
            UserAgent = Limit(message.UserAgent, 300),
            Outcome = Required(message.Outcome, 20),
            OccurredAt = Microseconds(message.OccurredAt),
            RecordedAt = Microseconds(now),
            PreviousHash = head?.Hash ?? GenesisHash,
        };
        entry.Hash = HashOf(entry);
        db.AccessEvents.Add(entry);
        return entry;
    }

    /// <summary>Walks one patient's chain from its first entry, recomputing every hash.</summary>
    public static async Task<ChainVerification> VerifyAsync(AuditDb db, Guid patientId, CancellationToken ct)
    {
        var expectedPrevious = GenesisHash;
        long expectedSequence = 1, checkedEntries = 0;
        while (true)
        {
            var batch = await db.AccessEvents.AsNoTracking()
                .Where(e => e.PatientId == patientId && e.PatientSequence >= expectedSequence)
                .OrderBy(e => e.PatientSequence)
                .Take(VerifyBatch)
                .ToListAsync(ct);
            if (batch.Count == 0) return new ChainVerification(true, checkedEntries, null, null);

            foreach (var entry in batch)
            {
                if (entry.PatientSequence != expectedSequence)
                    return Broken(checkedEntries, expectedSequence, $"Entry {expectedSequence} is missing.");
                if (entry.PreviousHash != expectedPrevious)
                    return Broken(checkedEntries, entry.PatientSequence, $"Entry {entry.PatientSequence} does not link to the entry before it.");
                if (HashOf(entry) != entry.Hash)
                    return Broken(checkedEntries, entry.PatientSequence, $"Entry {entry.PatientSequence} was changed after it was recorded.");
                expectedPrevious = entry.Hash;
                expectedSequence++;
                checkedEntries++;
            }
        }
    }

    /// <summary>SHA-256 over the previous hash and the entry's fields as a JSON array: unambiguous and reproducible.</summary>
    public static string HashOf(AccessEventEntry e)
    {
        var content = JsonSerializer.Serialize(new object?[]
        {
            1, // format version of this content
            e.PatientId.ToString("D"),
            e.PatientSequence,
            e.EventId.ToString("D"),
            e.ActorId?.ToString("D"),
            e.ActorRole,
            e.ActorName,
            e.OrganizationId?.ToString("D"),
            e.OrganizationName,
            e.DelegationId?.ToString("D"),
            e.ClientId,
            e.Service,
            e.Section,
            e.ItemId?.ToString("D"),
            e.Action,
            e.Purpose,
            e.IpAddress,
            e.UserAgent,
            e.Outcome,
            Timestamp(e.OccurredAt),
            Timestamp(e.RecordedAt),
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(e.PreviousHash + "\n" + content)));
    }

    /// <summary>PostgreSQL keeps microseconds: the hash is over what is stored, not over finer .NET ticks.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);

    private static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static string? Limit(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    // A malformed event missing a field is still chained (an access must not vanish from the log for that).
    private static string Required(string? value, int length) => Limit(value ?? "", length)!;

    private static ChainVerification Broken(long checkedEntries, long sequence, string problem) => new(false, checkedEntries, sequence, problem);
}
