using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Records.Api;

/// <summary>
/// Queries that read a patient's record, shared by the patient's (and representative's) endpoints and the doctor's.
/// Every query is scoped to one patient: an id of someone else's item finds nothing. A <see cref="RecordVisibility"/>
/// removes the items the reader may not see exactly as if they did not exist: in SQL for pages and series (so pages
/// come back full), by the current version for a single item. Null shows everything. The overloads taking a set of
/// hidden sections (a limited delegation) are <see cref="RecordVisibility.HidingSections"/> in short. Content is opened
/// with the patient's data key after the rows are read: filters and order only use the columns kept in clear.
/// </summary>
public static class RecordReads
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    private static readonly string[] AbnormalInterpretations =
        [Interpretations.Low, Interpretations.High, Interpretations.Critical, Interpretations.Abnormal];

    /// <summary>Sections the token may not read (a limited delegation), or null when it may read the whole record.</summary>
    public static IReadOnlySet<string>? HiddenSectionsFor(ClaimsPrincipal user)
    {
        if (user.CanReadWholeRecord()) return null;
        var hidden = RecordSections.All.Where(s => !user.CanReadSection(s)).ToHashSet(StringComparer.Ordinal);
        return hidden.Count == 0 ? null : hidden;
    }

    /// <summary>What the patient or their representative sees in lists and series: all but the sections not delegated.</summary>
    public static RecordVisibility VisibilityFor(ClaimsPrincipal user) => RecordVisibility.HidingSections(HiddenSectionsFor(user));

    /// <summary>True when <paramref name="user"/> may read every one of <paramref name="sections"/>.</summary>
    public static bool CanReadAll(ClaimsPrincipal user, IEnumerable<string> sections) => sections.All(user.CanReadSection);

    /// <summary>The page size from <c>?limit=</c> (default 20, 1–100); null with an error under "limit" when wrong.</summary>
    public static int? ParseLimit(string? limit, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(limit)) return DefaultLimit;
        if (int.TryParse(limit.Trim(), out var value) && value is >= 1 and <= MaxLimit) return value;
        errors["limit"] = [$"Размер страницы указывается целым числом от 1 до {MaxLimit}."];
        return null;
    }

    /// <summary>Checks <c>?cursor=</c>; adds an error under "cursor" when it is not one this service issued.</summary>
    public static bool CheckCursor(string? cursor, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(cursor) || TryDecodeCursor(cursor, out _, out _)) return true;
        errors["cursor"] = ["Некорректный курсор страницы: используйте значение nextCursor из предыдущего ответа."];
        return false;
    }

    /// <summary>
    /// One page of the patient's current items matching <paramref name="filter"/>, newest first (effective time, then
    /// id, both descending: the history index). Returns null when <paramref name="cursor"/> is malformed (check it with
    /// <see cref="CheckCursor"/> first to answer a validation problem).
    /// </summary>
    public static async Task<HistoryPage?> HistoryPageAsync(RecordsDb db, PatientDataKeys<RecordsDb> keys, Guid patientId, RecordFilter filter,
        string? cursor, int limit, RecordVisibility? visibility, CancellationToken ct)
    {
        limit = Math.Clamp(limit, 1, MaxLimit);
        // The visibility is one more condition of the same index scan: the page holds `limit` visible items and the
        // cursor is the last of them, however many hidden ones lie in between.
        var items = Visible(filter.Apply(db.Items.AsNoTracking(), patientId), visibility);
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!TryDecodeCursor(cursor, out var afterAt, out var afterId)) return null;
            // A row comparison, so that PostgreSQL walks the history index from the cursor on.
            items = items.Where(i => EF.Functions.LessThan(ValueTuple.Create(i.EffectiveAt, i.Id), ValueTuple.Create(afterAt, afterId)));
        }

        var rows = await items
            .OrderByDescending(i => i.EffectiveAt).ThenByDescending(i => i.Id)
            .Take(limit + 1)
            .Select(i => new EntryRow(i.Id, i.RecordId, i.Version, i.Kind, i.Title, i.EffectiveAt, i.OrganizationId,
                i.OrganizationName, i.DepartmentName, i.DoctorId, i.DoctorName, i.Specialty, i.Status, i.HasDocument))
            .ToListAsync(ct);

        var page = rows.Count > limit ? rows[..limit] : rows;
        var abnormal = await AbnormalCountsAsync(db, page.Where(r => RecordItemKinds.IsResult(r.Kind)).Select(r => r.Id).ToList(), ct);
        var cipher = await keys.ForReadingAsync(patientId, ct);
        var entries = page.Select(r => r.ToEntry(cipher, RecordItemKinds.IsResult(r.Kind) ? abnormal.GetValueOrDefault(r.Id) : null)).ToList();
        var next = rows.Count > limit ? EncodeCursor(page[^1].EffectiveAt, page[^1].Id) : null;
        return new HistoryPage(entries, next);
    }

    /// <summary>
    /// The item that <paramref name="itemId"/> (any of its versions' ids) belongs to, shown in its current version
    /// with details, values and the list of versions; null when the patient has no such item or it is hidden
    /// (<see cref="HiddenItemAsync"/> tells which).
    /// </summary>
    public static async Task<ItemResponse?> ItemAsync(RecordsDb db, PatientDataKeys<RecordsDb> keys, Guid patientId, Guid itemId,
        RecordVisibility? visibility, CancellationToken ct)
    {
        var versions = await VersionsOfAsync(db, patientId, itemId, ct);
        if (versions is null) return null;
        var shown = CurrentOf(versions);
        return IsHidden(shown, visibility) ? null : await DescribeAsync(db, keys, shown, versions, ct);
    }

    /// <summary>One version (1, 2, ...) of the item <paramref name="itemId"/> belongs to; null when there is none or it is hidden.</summary>
    public static async Task<ItemResponse?> ItemVersionAsync(RecordsDb db, PatientDataKeys<RecordsDb> keys, Guid patientId, Guid itemId, int version,
        RecordVisibility? visibility, CancellationToken ct)
    {
        var versions = await VersionsOfAsync(db, patientId, itemId, ct);
        var shown = versions?.FirstOrDefault(v => v.Version == version);
        if (versions is null || shown is null) return null;
        // The current version decides visibility too: a correction that removed a sensitive diagnosis must not
        // reopen the item to whom it was hidden, nor the reverse.
        return IsHidden(shown, visibility) || IsHidden(CurrentOf(versions), visibility)
            ? null
            : await DescribeAsync(db, keys, shown, versions, ct);
    }

    /// <summary>
    /// Why <see cref="ItemAsync"/> (or the document) found nothing: the item <paramref name="itemId"/> belongs to,
    /// when the patient has it but <paramref name="visibility"/> hides its current version — with the section that
    /// hides it, which a refusal is logged under; null when the patient has no such item or it is visible.
    /// </summary>
    public static async Task<HiddenItem?> HiddenItemAsync(RecordsDb db, Guid patientId, Guid itemId,
        RecordVisibility? visibility, CancellationToken ct)
    {
        if (visibility is null || visibility.ShowsEverything) return null;
        var current = await CurrentVersionOf(db, patientId, itemId)
            .Select(i => new { i.Id, i.OrganizationId, i.Sections })
            .SingleOrDefaultAsync(ct);
        return current is not null && visibility.HiddenSectionOf(current.OrganizationId, current.Sections) is { } section
            ? new HiddenItem(current.Id, section)
            : null;
    }

    /// <summary>The PDF of the current version of the item <paramref name="itemId"/> belongs to; null when there is none or it is hidden.</summary>
    public static async Task<DocumentRead?> DocumentAsync(RecordsDb db, PatientDataKeys<RecordsDb> keys, Guid patientId, Guid itemId,
        RecordVisibility? visibility, CancellationToken ct)
    {
        var item = await CurrentVersionOf(db, patientId, itemId)
            .Select(i => new { i.Id, i.OrganizationId, i.Sections, i.Title, i.EffectiveAt })
            .SingleOrDefaultAsync(ct);
        if (item is null || visibility?.Hides(item.OrganizationId, item.Sections) == true) return null;

        var document = await db.Documents.AsNoTracking()
            .Where(d => d.ItemId == item.Id && d.PatientId == patientId)
            .OrderByDescending(d => d.ReceivedAt)
            .FirstOrDefaultAsync(ct);
        if (document is null) return null;

        var day = MoscowTime.Of(item.EffectiveAt).ToString("yyyy-MM-dd");
        var cipher = await keys.ForReadingAsync(patientId, ct);
        return new DocumentRead(item.Id, item.Sections, FileNameFor(cipher.OpenText(item.Title), day), document.ContentType,
            cipher.Open(document.Content), document.Sha256.Trim());
    }

    /// <summary>
    /// The patient's values of one analyte, oldest first, between two Moscow days (both optional, both included):
    /// one range scan of the trend index reading only the columns shown. Null when the patient has no value of the
    /// analyte at all (an empty period gives an empty series).
    /// </summary>
    public static async Task<TrendResponse?> TrendAsync(RecordsDb db, PatientDataKeys<RecordsDb> keys, Guid patientId, string analyteCode, DateOnly? from,
        DateOnly? to, RecordVisibility? visibility, CancellationToken ct)
    {
        var all = VisibleObservations(db, patientId, visibility).Where(o => o.AnalyteCode == analyteCode);
        var values = all;
        if (from is { } start)
        {
            var since = StartOfMoscowDay(start);
            values = values.Where(o => o.TakenAt >= since);
        }
        if (to is { } end)
        {
            var until = StartOfMoscowDay(end.AddDays(1));
            values = values.Where(o => o.TakenAt < until);
        }

        var rows = await values
            .OrderBy(o => o.TakenAt).ThenBy(o => o.Id)
            .Select(o => new TrendRow(o.ItemId, o.TakenAt, o.Unit, o.Interpretation, o.Content))
            .ToListAsync(ct);

        var cipher = await keys.ForReadingAsync(patientId, ct);
        var opened = rows.Select(r => (Row: r, Content: ObservationContent.Open(cipher, r.Content))).ToList();
        string name;
        if (opened.Count > 0)
        {
            name = opened[^1].Content.AnalyteName;
        }
        else
        {
            var known = await all.OrderByDescending(o => o.TakenAt).Select(o => o.Content).FirstOrDefaultAsync(ct);
            if (known is null) return null;
            name = ObservationContent.Open(cipher, known).AnalyteName;
        }

        var points = opened.Select(o => o.Row.ToPoint(o.Content)).ToList();
        var latest = points.Count > 0 ? points[^1] : null;
        var previous = points.Count > 1 ? points[^2] : null;
        return new TrendResponse(analyteCode, name, latest?.Unit, points, latest, previous, Compare(latest, previous));
    }

    /// <summary>Every analyte the patient has values of (current results), with how many and the latest, by name.</summary>
    public static async Task<IReadOnlyList<AnalyteResponse>> AnalytesAsync(RecordsDb db, PatientDataKeys<RecordsDb> keys, Guid patientId,
        RecordVisibility? visibility, CancellationToken ct)
    {
        var observations = VisibleObservations(db, patientId, visibility);
        var counts = await observations
            .GroupBy(o => o.AnalyteCode)
            .Select(g => new { Code = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Code, g => g.Count, ct);
        // The latest value of each analyte: PostgreSQL's DISTINCT ON over the trend index order.
        var latest = await observations
            .GroupBy(o => o.AnalyteCode)
            .Select(g => g.OrderByDescending(o => o.TakenAt).ThenByDescending(o => o.Id)
                .Select(o => new { o.AnalyteCode, o.Content, o.Unit, o.TakenAt, o.Interpretation, o.ItemId })
                .First())
            .ToListAsync(ct);
        var cipher = await keys.ForReadingAsync(patientId, ct);
        return latest
            .Select(l => (Latest: l, Content: ObservationContent.Open(cipher, l.Content)))
            .Select(l => new AnalyteResponse(l.Latest.AnalyteCode, l.Content.AnalyteName, l.Latest.Unit,
                counts.GetValueOrDefault(l.Latest.AnalyteCode), l.Content.Value, l.Content.ValueText, l.Latest.TakenAt,
                l.Latest.Interpretation, l.Latest.ItemId))
            .OrderBy(a => a.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(a => a.Code, StringComparer.Ordinal)
            .ToList();
    }

    public static ThresholdResponse ToResponse(AnalyteThreshold threshold) =>
        new(threshold.AnalyteCode, threshold.Low, threshold.High, threshold.UpdatedAt);

    public static DateTimeOffset StartOfMoscowDay(DateOnly day) =>
        MoscowTime.ToUtc(day, TimeOnly.MinValue);

    private static IQueryable<RecordItem> Visible(IQueryable<RecordItem> items, RecordVisibility? visibility) =>
        visibility is null || visibility.ShowsEverything ? items : items.Where(visibility.Filter);

    private static IQueryable<Observation> VisibleObservations(RecordsDb db, Guid patientId, RecordVisibility? visibility)
    {
        var observations = db.Observations.AsNoTracking().Where(o => o.PatientId == patientId && o.IsCurrent);
        if (visibility is null || visibility.ShowsEverything) return observations;
        // Only readers who may not see everything pay for the join to the items (a semi-join on the primary key).
        var visibleItems = Visible(db.Items.Where(i => i.PatientId == patientId), visibility);
        return observations.Where(o => visibleItems.Any(i => i.Id == o.ItemId));
    }

    private static bool IsHidden(RecordItem version, RecordVisibility? visibility) => visibility?.Hides(version) == true;

    private static RecordItem CurrentOf(IReadOnlyList<RecordItem> versions) => versions.FirstOrDefault(v => v.IsCurrent) ?? versions[^1];

    /// <summary>The current version of the item any of whose versions' ids is <paramref name="itemId"/>.</summary>
    private static IQueryable<RecordItem> CurrentVersionOf(RecordsDb db, Guid patientId, Guid itemId) =>
        db.Items.AsNoTracking()
            .Where(i => i.PatientId == patientId && i.IsCurrent
                        && db.Items.Any(v => v.Id == itemId && v.PatientId == patientId && v.RecordId == i.RecordId));

    private static async Task<List<RecordItem>?> VersionsOfAsync(RecordsDb db, Guid patientId, Guid itemId, CancellationToken ct)
    {
        var versions = await db.Items.AsNoTracking()
            .Where(i => i.PatientId == patientId
                        && db.Items.Any(v => v.Id == itemId && v.PatientId == patientId && v.RecordId == i.RecordId))
            .OrderBy(i => i.Version)
            .ToListAsync(ct);
        return versions.Count == 0 ? null : versions;
    }

    private static async Task<ItemResponse> DescribeAsync(RecordsDb db, PatientDataKeys<RecordsDb> keys, RecordItem shown,
        IReadOnlyList<RecordItem> versions, CancellationToken ct)
    {
        var observations = await db.Observations.AsNoTracking()
            .Where(o => o.ItemId == shown.Id)
            .OrderBy(o => o.Position).ThenBy(o => o.Id)
            .ToListAsync(ct);
        var isResult = RecordItemKinds.IsResult(shown.Kind);
        var current = CurrentOf(versions);
        var cipher = await keys.ForReadingAsync(shown.PatientId, ct);
        using var details = JsonDocument.Parse(cipher.Open(shown.Details));
        return new ItemResponse(
            shown.Id, shown.RecordId, shown.Version, shown.Id == current.Id, shown.Kind, cipher.OpenText(shown.Title), shown.EffectiveAt,
            new OrganizationRef(shown.OrganizationId, shown.OrganizationName), shown.DepartmentName,
            DoctorOf(shown.DoctorId, shown.DoctorName, shown.Specialty), shown.Status,
            isResult ? observations.Count(o => Interpretations.IsAbnormal(o.Interpretation)) : null,
            shown.HasDocument, shown.Version > 1, shown.Sections, cipher.OpenTextOrNull(shown.CorrectionReason),
            details.RootElement.Clone(),
            observations.Select(o => ToResponse(o, ObservationContent.Open(cipher, o.Content))).ToList(),
            versions.Select(v => new ItemVersion(v.Id, v.Version, v.ReceivedAt, cipher.OpenTextOrNull(v.CorrectionReason), v.Id == current.Id)).ToList());
    }

    public static ObservationResponse ToResponse(Observation o, ObservationContent c) => new(
        o.AnalyteCode, c.AnalyteName, c.Value, c.ValueText, o.Unit,
        c.ReferenceLow is null && c.ReferenceHigh is null && c.ReferenceText is null
            ? null
            : new ReferenceRange(c.ReferenceLow, c.ReferenceHigh, c.ReferenceText),
        o.Interpretation, c.Comment, o.TakenAt);

    private static async Task<Dictionary<Guid, int>> AbnormalCountsAsync(RecordsDb db, List<Guid> resultIds, CancellationToken ct)
    {
        if (resultIds.Count == 0) return [];
        return await db.Observations.AsNoTracking()
            .Where(o => resultIds.Contains(o.ItemId) && AbnormalInterpretations.Contains(o.Interpretation))
            .GroupBy(o => o.ItemId)
            .Select(g => new { ItemId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.ItemId, g => g.Count, ct);
    }

    private static TrendChange? Compare(TrendPoint? latest, TrendPoint? previous)
    {
        if (latest?.Value is not { } now || previous?.Value is not { } before
            || !string.Equals(latest.Unit, previous.Unit, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var absolute = now - before;
        decimal? percent = before == 0 ? null : Math.Round(absolute / Math.Abs(before) * 100m, 1, MidpointRounding.AwayFromZero);
        var direction = absolute > 0 ? TrendChange.Up : absolute < 0 ? TrendChange.Down : TrendChange.Same;
        return new TrendChange(absolute, percent, direction);
    }

    private static DoctorRef? DoctorOf(string? id, string? name, string? specialty) =>
        id is null && name is null ? null : new DoctorRef(id ?? "", name, specialty);

    private static string FileNameFor(string title, string day)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(['"', '\\', '/', ':', '*', '?', '<', '>', '|']).ToHashSet();
        var clean = new StringBuilder(title.Length);
        foreach (var c in title.Trim())
        {
            clean.Append(invalid.Contains(c) || char.IsControl(c) ? '_' : c);
        }
        var name = clean.Length == 0 ? "Документ" : clean.ToString();
        if (name.Length > 120) name = name[..120];
        return $"{name} {day}.pdf";
    }

    // Cursor: 8 bytes of the last entry's effective time (UTC ticks, big-endian) and its 16-byte id, base64url.
    private static string EncodeCursor(DateTimeOffset effectiveAt, Guid id)
    {
        Span<byte> bytes = stackalloc byte[24];
        BinaryPrimitives.WriteInt64BigEndian(bytes, effectiveAt.UtcTicks);
        id.TryWriteBytes(bytes[8..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    private static bool TryDecodeCursor(string cursor, out DateTimeOffset effectiveAt, out Guid id)
    {
        effectiveAt = default;
        id = default;
        if (cursor.Length != 32) return false;
        Span<byte> bytes = stackalloc byte[24];
        if (!Base64Url.TryDecodeFromChars(cursor, bytes, out var written) || written != 24) return false;
        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks) return false;
        effectiveAt = new DateTimeOffset(ticks, TimeSpan.Zero);
        id = new Guid(bytes[8..], bigEndian: true);
        return true;
    }

    private sealed record EntryRow(Guid Id, Guid RecordId, int Version, string Kind, Sealed Title, DateTimeOffset EffectiveAt,
        Guid OrganizationId, string OrganizationName, string? DepartmentName, string? DoctorId, string? DoctorName,
        string? Specialty, string Status, bool HasDocument)
    {
        public HistoryEntry ToEntry(PatientCipher cipher, int? abnormalCount) => new(Id, RecordId, Version, Kind, cipher.OpenText(Title), EffectiveAt,
            new OrganizationRef(OrganizationId, OrganizationName), DepartmentName, DoctorOf(DoctorId, DoctorName, Specialty),
            Status, abnormalCount, HasDocument, Version > 1);
    }

    private sealed record TrendRow(Guid ItemId, DateTimeOffset TakenAt, string? Unit, string Interpretation, Sealed Content)
    {
        public TrendPoint ToPoint(ObservationContent c) =>
            new(ItemId, TakenAt, c.Value, c.ValueText, Unit, Interpretation, c.ReferenceLow, c.ReferenceHigh);
    }
}
