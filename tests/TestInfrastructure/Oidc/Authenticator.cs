using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;

namespace Gosuslugi.Health.TestInfrastructure.Oidc;

/// <summary>
/// An authenticator app for tests: RFC 6238 codes (HMAC-SHA1, 6 digits, 30-second steps) from a base32 secret,
/// written apart from identity's own implementation so that each checks the other.
/// </summary>
public static class Authenticator
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / (long)Step.TotalSeconds;

    public static string CodeAt(string base32Secret, DateTimeOffset time) => CodeOfStep(base32Secret, StepAt(time));

    public static string CodeOfStep(string base32Secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(FromBase32(base32Secret), counter);
        var offset = hash[^1] & 0x0F;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7FFFFFFF;
        return (binary % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new();
    private static readonly ConcurrentDictionary<string, long> LastStepUsed = new();

    /// <summary>
    /// A code the server has not accepted before, for a server on this machine's clock: a server takes each step
    /// once (a replay is refused), and only the current step ±1, so within this process every step is handed out
    /// once; when the steps accepted now are used up, this waits for the next one (up to 30 seconds).
    /// </summary>
    public static async Task<string> NextUnusedCodeAsync(string base32Secret, CancellationToken ct = default)
    {
        var gate = Gates.GetOrAdd(base32Secret, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            while (true)
            {
                var now = DateTimeOffset.UtcNow;
                var current = StepAt(now);
                var intoStep = now.ToUnixTimeSeconds() % (long)Step.TotalSeconds;
                // The step before the current one only while it stays acceptable until the server reads it.
                var earliest = intoStep < 20 ? current - 1 : current;
                var step = Math.Max(earliest, LastStepUsed.TryGetValue(base32Secret, out var last) ? last + 1 : earliest);
                if (step <= current + 1)
                {
                    LastStepUsed[base32Secret] = step;
                    return CodeOfStep(base32Secret, step);
                }
                // step - 1 becomes current at its start; then step is "current + 1".
                var startOfPrevious = DateTimeOffset.FromUnixTimeSeconds((step - 1) * (long)Step.TotalSeconds);
                await Task.Delay(startOfPrevious - now + TimeSpan.FromMilliseconds(50), ct);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private static byte[] FromBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text.ToUpperInvariant())
        {
            if (c is '=' or ' ' or '-') continue;
            var value = alphabet.IndexOf(c);
            if (value < 0) throw new FormatException($"'{c}' is not base32.");
            buffer = ((buffer << 5) | value) & 0xFFFF; // only the bits not yet written matter
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. output];
    }
}
