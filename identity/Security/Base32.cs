using System.Text;

namespace Gosuslugi.Health.Identity.Security;

/// <summary>
/// RFC 4648 base32 (alphabet A–Z, 2–7), the encoding authenticator apps expect for TOTP secrets.
/// Encoding writes no padding (as in otpauth:// URIs); decoding accepts lower case, spaces, hyphens
/// and trailing '=' because people type secrets in by hand.
/// </summary>
public static class Base32
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var result = new StringBuilder((data.Length * 8 + 4) / 5);
        var buffer = 0;
        var bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                result.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) result.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        return result.ToString();
    }

    /// <summary>The bytes of <paramref name="text"/>; throws <see cref="FormatException"/> on a character outside the alphabet.</summary>
    public static byte[] Decode(string text) =>
        TryDecode(text, out var bytes) ? bytes : throw new FormatException("The text is not valid base32.");

    public static bool TryDecode(string? text, out byte[] bytes)
    {
        bytes = [];
        if (text is null) return false;
        var output = new List<byte>(text.Length * 5 / 8);
        var buffer = 0;
        var bits = 0;
        var padding = false;
        foreach (var c in text)
        {
            if (c is ' ' or '-') continue;
            if (c == '=') { padding = true; continue; }
            if (padding) return false; // data after padding
            var value = c switch
            {
                >= 'A' and <= 'Z' => c - 'A',
                >= 'a' and <= 'z' => c - 'a',
                >= '2' and <= '7' => c - '2' + 26,
                _ => -1,
            };
            if (value < 0) return false;
            buffer = ((buffer << 5) | value) & 0xFFFF;
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        bytes = [.. output];
        return true;
    }
}
