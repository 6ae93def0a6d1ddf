using System.Text.Json;

namespace Gosuslugi.Health.Records.Api;

// What patients, their representatives and doctors read from Records. Field names are the API's (camelCase JSON).

/// <summary>One page of the history, newest first; <paramref name="NextCursor"/> is null on the last page.</summary>
public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Items, string? NextCursor);

public sealed record OrganizationRef(Guid Id, string Name);

/// <param name="Id">The doctor's identifier as the organization sent it.</param>
public sealed record DoctorRef(string Id, string? Name, string? Specialty);

/// <summary>An item of the history (its current version).</summary>
/// <param name="Id">The current version's id.</param>
/// <param name="AbnormalCount">For results, the values outside their reference range; null for other kinds.</param>
/// <param name="Corrected">The organization corrected the item at least once (version &gt; 1).</param>
public sealed record HistoryEntry(
    Guid Id,
    Guid RecordId,
    int Version,
    string Kind,
    string Title,
    DateTimeOffset EffectiveAt,
    OrganizationRef Organization,
    string? Department,
    DoctorRef? Doctor,
    string Status,
    int? AbnormalCount,
    bool HasDocument,
    bool Corrected);

/// <summary>One version of an item as its history lists it.</summary>
public sealed record ItemVersion(Guid Id, int Version, DateTimeOffset ReceivedAt, string? CorrectionReason, bool Current);

/// <summary>An item with its details (kind-specific, see Domain/RecordDetails.cs), values and versions.</summary>
/// <param name="Id">The id of the version shown.</param>
/// <param name="Current">False when an older version is shown.</param>
/// <param name="Sections">Sections of the record (RecordSections) the item belongs to.</param>
public sealed record ItemResponse(
    Guid Id,
    Guid RecordId,
    int Version,
    bool Current,
    string Kind,
    string Title,
    DateTimeOffset EffectiveAt,
    OrganizationRef Organization,
    string? Department,
    DoctorRef? Doctor,
    string Status,
    int? AbnormalCount,
    bool HasDocument,
    bool Corrected,
    IReadOnlyList<string> Sections,
    string? CorrectionReason,
    JsonElement Details,
    IReadOnlyList<ObservationResponse> Observations,
    IReadOnlyList<ItemVersion> Versions);

public sealed record ReferenceRange(decimal? Low, decimal? High, string? Text);

/// <summary>One value of a result with its reference range and flag (Domain.Interpretations).</summary>
public sealed record ObservationResponse(
    string Code,
    string Name,
    decimal? Value,
    string? ValueText,
    string? Unit,
    ReferenceRange? Reference,
    string Interpretation,
    string? Comment,
    DateTimeOffset TakenAt);

/// <summary>A value of an analyte's series.</summary>
/// <param name="ItemId">The result (version) it comes from.</param>
public sealed record TrendPoint(
    Guid ItemId,
    DateTimeOffset TakenAt,
    decimal? Value,
    string? ValueText,
    string? Unit,
    string Interpretation,
    decimal? ReferenceLow,
    decimal? ReferenceHigh);

/// <summary>How the latest value differs from the previous one.</summary>
/// <param name="Percent">Relative to the previous value; null when that is zero.</param>
/// <param name="Direction">up, down or same.</param>
public sealed record TrendChange(decimal Absolute, decimal? Percent, string Direction)
{
    public const string Up = "up";
    public const string Down = "down";
    public const string Same = "same";
}

/// <summary>
/// An analyte's values in time order (oldest first), with the latest compared to the previous one. The change is null
/// when either is not a number or their units differ.
/// </summary>
public sealed record TrendResponse(
    string Code,
    string Name,
    string? Unit,
    IReadOnlyList<TrendPoint> Points,
    TrendPoint? Latest,
    TrendPoint? Previous,
    TrendChange? Change);

/// <summary>An analyte the patient has values of, with the latest.</summary>
public sealed record AnalyteResponse(
    string Code,
    string Name,
    string? Unit,
    int Count,
    decimal? LastValue,
    string? LastValueText,
    DateTimeOffset LastTakenAt,
    string LastInterpretation,
    Guid LastItemId);

public sealed record AnalyteList(IReadOnlyList<AnalyteResponse> Items);

/// <summary>The patient's own limits for an analyte.</summary>
public sealed record ThresholdResponse(string Code, decimal? Low, decimal? High, DateTimeOffset UpdatedAt);

public sealed record ThresholdList(IReadOnlyList<ThresholdResponse> Items);

/// <summary>Body of PUT /thresholds/{code}: at least one limit; low below high.</summary>
public sealed record ThresholdRequest(decimal? Low, decimal? High);

/// <summary>An item's PDF as stored, ready to send.</summary>
/// <param name="ItemId">The version the document belongs to.</param>
/// <param name="Sections">The item's sections, for the caller's access checks.</param>
/// <param name="FileName">A file name for Content-Disposition.</param>
public sealed record DocumentRead(
    Guid ItemId,
    IReadOnlyList<string> Sections,
    string FileName,
    string ContentType,
    byte[] Content,
    string Sha256);

/// <summary>An item the patient has that the reader may not see (never sent: what its refusal is logged under).</summary>
/// <param name="ItemId">Its current version.</param>
/// <param name="Section">The section that hides it.</param>
public sealed record HiddenItem(Guid ItemId, string Section);
