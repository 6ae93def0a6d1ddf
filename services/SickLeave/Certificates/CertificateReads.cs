using System.Globalization;
using System.Linq.Expressions;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Gosuslugi.Health.SickLeave.Data;
using Gosuslugi.Health.SickLeave.Domain;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.SickLeave.Certificates;

/// <summary>"Указав период или номер документа": the certificates overlapping a period, or the one with a number.</summary>
public sealed record CertificateFilter(DateOnly? From, DateOnly? To, string? Number)
{
    /// <summary>Reads the query string (dates ГГГГ-ММ-ДД, a 12-digit number); errors by parameter name.</summary>
    public static CertificateFilter? Parse(string? from, string? to, string? number, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var start = Date(from, "from", errors);
        var end = Date(to, "to", errors);
        if (start > end) errors["from"] = ["Начало периода не может быть позже его окончания."];
        var wanted = string.IsNullOrWhiteSpace(number) ? null : number.Trim();
        if (wanted is not null && (wanted.Length != SickLeaveRules.NumberLength || !wanted.All(char.IsAsciiDigit)))
            errors["number"] = ["Номер листка нетрудоспособности — 12 цифр."];
        return errors.Count > 0 ? null : new CertificateFilter(start, end, wanted);
    }

    private static DateOnly? Date(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        errors[name] = ["Дата указывается в формате ГГГГ-ММ-ДД."];
        return null;
    }
}

/// <summary>A certificate opened: its current state, its content unsealed, and the versions it went through.</summary>
public sealed record CertificateRead(SickLeaveCertificate Certificate, CertificateContent Content, IReadOnlyList<CertificateVersion> Versions);

public static class CertificateReads
{
    /// <summary>A patient's certificates, newest first; the list shows no medical content, so nothing is unsealed.</summary>
    public static Task<List<SickLeaveCertificate>> ListAsync(SickLeaveDb db, Guid patientId, CertificateFilter filter,
        CancellationToken ct)
    {
        var query = db.Certificates.AsNoTracking().Where(c => c.PatientId == patientId);
        if (filter.From is { } from) query = query.Where(c => c.EndsOn >= from);
        if (filter.To is { } to) query = query.Where(c => c.StartsOn <= to);
        if (filter.Number is { } number) query = query.Where(c => c.Number == number);
        return query.OrderByDescending(c => c.StartsOn).ThenByDescending(c => c.Id).ToListAsync(ct);
    }

    /// <summary>The one certificate <paramref name="which"/> selects (a patient's, an organization's), or null.</summary>
    public static async Task<CertificateRead?> OpenAsync(SickLeaveDb db, PatientDataKeys<SickLeaveDb> keys,
        Expression<Func<SickLeaveCertificate, bool>> which, CancellationToken ct)
    {
        var certificate = await db.Certificates.AsNoTracking().Where(which).SingleOrDefaultAsync(ct);
        if (certificate is null) return null;
        var cipher = await keys.ForReadingAsync(certificate.PatientId, ct);
        var versions = await db.CertificateVersions.AsNoTracking()
            .Where(v => v.CertificateId == certificate.Id).OrderBy(v => v.Version).ToListAsync(ct);
        return new CertificateRead(certificate, CertificateContent.FromJson(cipher.Open(certificate.Content)), versions);
    }
}
