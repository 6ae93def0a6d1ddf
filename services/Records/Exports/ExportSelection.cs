using System.Runtime.CompilerServices;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Records.Exports;

/// <summary>What an export prints of an item (its current version): only the columns the renderers need.</summary>
public sealed record ExportItem(
    Guid Id,
    string Kind,
    string Title,
    string Status,
    DateTimeOffset EffectiveAt,
    Guid OrganizationId,
    string OrganizationName,
    string? DepartmentName,
    string? DoctorId,
    string? DoctorName,
    string? Specialty,
    string[] DiagnosisCodes,
    string Details);

/// <summary>One value of a result, as exports print it.</summary>
public sealed record ExportValue(
    Guid ItemId,
    string AnalyteCode,
    string AnalyteName,
    decimal? Value,
    string? ValueText,
    string? Unit,
    decimal? ReferenceLow,
    decimal? ReferenceHigh,
    string? ReferenceText,
    string Interpretation,
    string? Comment,
    int Position);

/// <summary>An item with its values (empty for anything but a result).</summary>
public sealed record ExportEntry(ExportItem Item, IReadOnlyList<ExportValue> Values);

/// <summary>
/// The items of a patient's history an export prints, newest first. Loaded with two set-based queries: the items
/// (one index range scan of the history, capped), then the values of those items in chunks of ids, so that a
/// thousand results with their values cost a handful of round trips rather than one per result.
/// </summary>
public sealed class ExportSelection
{
    /// <summary>Above this many items an export is refused: the patient is asked to narrow the period.</summary>
    public const int MaxItems = 10_000;

    /// <summary>Ids per query of values: small enough for a plain <c>= ANY(@ids)</c> plan, large enough for few trips.</summary>
    private const int ValuesChunkSize = 1_000;

    private readonly RecordsDb _db;
    private readonly PatientCipher _cipher;

    private ExportSelection(RecordsDb db, PatientCipher cipher, IReadOnlyList<ExportItem> items)
    {
        _db = db;
        _cipher = cipher;
        Items = items;
    }

    /// <summary>The selected items, newest first.</summary>
    public IReadOnlyList<ExportItem> Items { get; }

    /// <summary>
    /// The patient's current items that <paramref name="filter"/> selects, without those in any of
    /// <paramref name="hiddenSections"/> (a limited delegation); null when there are more than
    /// <paramref name="maxItems"/>.
    /// </summary>
    public static async Task<ExportSelection?> LoadAsync(RecordsDb db, PatientDataKeys<RecordsDb> keys, Guid patientId, RecordFilter filter,
        IReadOnlySet<string>? hiddenSections, CancellationToken ct, int maxItems = MaxItems)
    {
        var items = filter.Apply(db.Items.AsNoTracking(), patientId);
        if (hiddenSections is { Count: > 0 })
        {
            var hidden = hiddenSections.ToArray();
            items = items.Where(i => !i.Sections.Any(s => hidden.Contains(s)));
        }

        var rows = await items
            .OrderByDescending(i => i.EffectiveAt).ThenByDescending(i => i.Id)
            // One more than allowed tells "too many" without counting the whole history.
            .Take(maxItems + 1)
            .Select(i => new
            {
                i.Id, i.Kind, i.Title, i.Status, i.EffectiveAt, i.OrganizationId, i.OrganizationName, i.DepartmentName,
                i.DoctorId, i.DoctorName, i.Specialty, i.DiagnosisCodes, i.Details,
            })
            .ToListAsync(ct);
        if (rows.Count > maxItems) return null;
        var cipher = await keys.ForReadingAsync(patientId, ct);
        return new ExportSelection(db, cipher, rows.Select(i => new ExportItem(i.Id, i.Kind, cipher.OpenText(i.Title), i.Status,
            i.EffectiveAt, i.OrganizationId, i.OrganizationName, i.DepartmentName, i.DoctorId, i.DoctorName, i.Specialty,
            i.DiagnosisCodes, cipher.OpenText(i.Details))).ToList());
    }

    /// <summary>The items in order, each with its values; values are read one chunk of items ahead of the caller.</summary>
    public async IAsyncEnumerable<ExportEntry> EntriesAsync([EnumeratorCancellation] CancellationToken ct)
    {
        for (var start = 0; start < Items.Count; start += ValuesChunkSize)
        {
            var chunk = Items.Skip(start).Take(ValuesChunkSize).ToList();
            var resultIds = chunk.Where(i => RecordItemKinds.IsResult(i.Kind)).Select(i => i.Id).ToArray();
            var rows = resultIds.Length == 0
                ? []
                : await _db.Observations.AsNoTracking()
                    .Where(o => o.PatientId == _cipher.PatientId && resultIds.Contains(o.ItemId))
                    .OrderBy(o => o.ItemId).ThenBy(o => o.Position).ThenBy(o => o.Id)
                    .Select(o => new { o.ItemId, o.AnalyteCode, o.Content, o.Unit, o.Interpretation, o.Position })
                    .ToListAsync(ct);
            var valuesByItem = rows
                .Select(o => (Row: o, Content: ObservationContent.Open(_cipher, o.Content)))
                .Select(o => new ExportValue(o.Row.ItemId, o.Row.AnalyteCode, o.Content.AnalyteName, o.Content.Value,
                    o.Content.ValueText, o.Row.Unit, o.Content.ReferenceLow, o.Content.ReferenceHigh, o.Content.ReferenceText,
                    o.Row.Interpretation, o.Content.Comment, o.Row.Position))
                .ToLookup(v => v.ItemId);
            foreach (var item in chunk)
            {
                yield return new ExportEntry(item, valuesByItem[item.Id].ToList());
            }
        }
    }
}
