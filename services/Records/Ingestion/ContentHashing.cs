using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gosuslugi.Health.Records.Ingestion;

/// <summary>
/// SHA-256 of an item's normalised content: what Records would store from it, with numbers in their shortest form
/// and the document by its hash. A resend of the same content (in whatever JSON layout) has the same hash; the
/// correction reason is not content.
/// </summary>
public static class ContentHashing
{
    private static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static string Compute(IngestedItem item)
    {
        var canonical = new
        {
            item.ResourceType,
            item.Kind,
            item.ExternalId,
            item.Snils,
            item.Status,
            item.Title,
            EffectiveAt = item.EffectiveAt.ToUniversalTime(),
            item.DepartmentName,
            item.DoctorId,
            item.DoctorName,
            item.Specialty,
            item.Diagnoses,
            Details = JsonDocument.Parse(item.Details).RootElement,
            Observations = item.Observations.Select(o => new
            {
                o.AnalyteCode,
                o.AnalyteName,
                Value = Normalize(o.Value),
                o.ValueText,
                o.Unit,
                ReferenceLow = Normalize(o.ReferenceLow),
                ReferenceHigh = Normalize(o.ReferenceHigh),
                o.ReferenceText,
                o.Interpretation,
                o.Comment,
                TakenAt = o.TakenAt.ToUniversalTime(),
            }),
            Document = item.Document is { } d ? new { d.ContentType, d.FileName, d.Sha256 } : null,
        };
        return Sha256Hex(JsonSerializer.SerializeToUtf8Bytes(canonical, Canonical));
    }

    public static string Sha256Hex(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static string Sha256Hex(string text) => Sha256Hex(Encoding.UTF8.GetBytes(text));

    /// <summary>135, 135.0 and 135.00 are one value.</summary>
    public static decimal? Normalize(decimal? value) => value / 1.000000000000000000000000000000000m;
}
