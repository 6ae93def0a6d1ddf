using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gosuslugi.Health.Audit.Data;
using Gosuslugi.Health.Audit.Domain;
using Gosuslugi.Health.Contracts.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Audit.Chain;

/// <param name="Intact">True when every entry's hash is right and links to the one before.</param>
/// <param name="Entries">How many entries were checked.</param>
/// <param name="FirstBrokenSequence">The first entry that does not match, when the chain is broken.</param>
/// <param name="Problem">What is wrong with it (for operators; English).</param>
public sealed record ChainVerification(bool Intact, long Entries, long? FirstBrokenSequence, string? Problem);

/// <summary>
/// The tamper-evident log: each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical
/// content. Appending is serialized (a transaction-scoped advisory lock, and a unique sequence and previous hash as a
/// second line), so concurrent consumers can never fork the chain.
/// </summary>
public static class SecurityEventChain
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    // pg_advisory_xact_lock key: "secchain".
    private const long AppendLock = 0x7365_6363_6861_696E;

    private const int VerifyBatch = 1000;

    /// <summary>
    /// Appends the event at the head of the chain within the caller's transaction. Returns null when the event (by its
    /// EventId) is already in the chain.
    /// </summary>
    public static async Task<SecurityEventEntry?> AppendAsync(AuditDb db, SecurityEventRecorded message, DateTimeOffset now, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Appending to the chain needs a transaction: the lock lasts until it ends.");
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [AppendLock], ct);

        if (await db.SecurityEvents.AnyAsync(e => e.EventId == message.EventId, ct)) return null;
        var head = await db.SecurityEvents.AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash })
            .FirstOrDefaultAsync(ct);

        var sequence = (head?.Sequence ?? 0) + 1;
        var previousHash = head?.Hash ?? GenesisHash;
        var details = CanonicalDetails(message.Details);
        var occurredAt = Microseconds(message.OccurredAt);
        var recordedAt = Microseconds(now);
        var entry = new SecurityEventEntry
        {
            Sequence = sequence,
            EventId = message.EventId,
            Kind = Limit(message.Kind, 100)!,
            SubjectId = message.SubjectId,
            ActorId = message.ActorId,
            ClientId = Limit(message.ClientId, 100),
            IpAddress = Limit(message.IpAddress, 64),
            UserAgent = Limit(message.UserAgent, 300),
            Outcome = Limit(message.Outcome, 20)!,
            Details = details,
            OccurredAt = occurredAt,
            RecordedAt = recordedAt,
            PreviousHash = previousHash,
        };
        entry.Hash = HashOf(entry);
        db.SecurityEvents.Add(entry);
        return entry;
    }

    /// <summary>Walks the whole chain from the first entry, recomputing every hash.</summary>
    public static async Task<ChainVerification> VerifyAsync(AuditDb db, CancellationToken ct)
    {
        var expectedPrevious = GenesisHash;
        long expectedSequence = 1, checkedEntries = 0;
        while (true)
        {
            var batch = await db.SecurityEvents.AsNoTracking()
                .Where(e => e.Sequence >= expectedSequence)
                .OrderBy(e => e.Sequence)
                .Take(VerifyBatch)
                .ToListAsync(ct);
            if (batch.Count == 0) return new ChainVerification(true, checkedEntries, null, null);

            foreach (var entry in batch)
            {
                if (entry.Sequence != expectedSequence)
                    return Broken(checkedEntries, expectedSequence, $"Entry {expectedSequence} is missing.");
                if (entry.PreviousHash != expectedPrevious)
                    return Broken(checkedEntries, entry.Sequence, $"Entry {entry.Sequence} does not link to the entry before it.");
                if (HashOf(entry) != entry.Hash)
                    return Broken(checkedEntries, entry.Sequence, $"Entry {entry.Sequence} was changed after it was recorded.");
                expectedPrevious = entry.Hash;
                expectedSequence++;
                checkedEntries++;
            }
        }
    }

    /// <summary>SHA-256 over the previous hash and the entry's fields as a JSON array: unambiguous and reproducible.</summary>
    public static string HashOf(SecurityEventEntry e)
    {
        var content = JsonSerializer.Serialize(new object?[]
        {
            1, // format version of this content
            e.Sequence,
            e.EventId.ToString("D"),
            e.Kind,
            e.SubjectId?.ToString("D"),
            e.ActorId?.ToString("D"),
            e.ClientId,
            e.IpAddress,
            e.UserAgent,
            e.Outcome,
            e.Details,
            Timestamp(e.OccurredAt),
            Timestamp(e.RecordedAt),
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(e.PreviousHash + "\n" + content)));
    }

    /// <summary>Keys in ordinal order, so the stored text (and its hash) does not depend on the sender's dictionary order.</summary>
    public static string CanonicalDetails(IReadOnlyDictionary<string, string>? details) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(
            (details ?? new Dictionary<string, string>()).ToDictionary(d => d.Key, d => d.Value), StringComparer.Ordinal));

    /// <summary>PostgreSQL keeps microseconds: the hash is over what is stored, not over finer .NET ticks.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);

    private static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string? Limit(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    private static ChainVerification Broken(long checkedEntries, long sequence, string problem) => new(false, checkedEntries, sequence, problem);
}
