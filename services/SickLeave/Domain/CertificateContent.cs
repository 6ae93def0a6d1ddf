using System.Security.Cryptography;
using System.Text.Json;

namespace Gosuslugi.Health.SickLeave.Domain;

/// <summary>One period of incapacity: opened, or an extension, with the doctor who issued it.</summary>
public sealed record IncapacityPeriod(DateOnly From, DateOnly To, string? DoctorName);

/// <summary>
/// The medical content of one version of a certificate, stored sealed with the patient's data key: the reason code,
/// the doctor, the regime, the periods, the return-to-work date and, for an annulled one, why.
/// </summary>
public sealed record CertificateContent(
    DateOnly IssuedOn,
    string ReasonCode,
    string Regime,
    string DoctorName,
    string? DoctorPosition,
    IReadOnlyList<IncapacityPeriod> Periods,
    DateOnly? ReturnToWorkOn,
    string? AnnulmentReason)
{
    private static readonly JsonSerializerOptions Format = new(JsonSerializerDefaults.Web);

    public DateOnly StartsOn => Periods[0].From;

    public DateOnly EndsOn => Periods[^1].To;

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Format);

    public static CertificateContent FromJson(byte[] json) =>
        JsonSerializer.Deserialize<CertificateContent>(json, Format)
        ?? throw new InvalidOperationException("A stored certificate has no content.");

    /// <summary>SHA-256 (hex) of the content with its status: a resend with the same hash changes nothing.</summary>
    public string Hash(string status)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new { status, content = this }, Format);
        return Convert.ToHexStringLower(SHA256.HashData(json));
    }

    /// <summary>Whether <paramref name="earlier"/>'s periods are kept as they were (a change only adds periods).</summary>
    public bool KeepsPeriodsOf(CertificateContent earlier) =>
        Periods.Count >= earlier.Periods.Count
        && earlier.Periods.Select((p, i) => Periods[i].From == p.From && Periods[i].To == p.To).All(same => same);
}
