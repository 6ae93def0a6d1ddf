using System.Globalization;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Domain;
using Microsoft.AspNetCore.Mvc;

namespace Gosuslugi.Health.Records.Api;

/// <summary>
/// The query parameters that select part of a patient's history (<c>?from=&amp;to=&amp;kind=&amp;organizationId=&amp;doctorId=</c>),
/// bound with <c>[AsParameters]</c> by the history, the exports and the doctor's view alike. Values arrive as text so
/// that a malformed one is reported by its name, in Russian, instead of the framework's anonymous 400.
/// </summary>
public sealed class RecordFilterQuery
{
    public const string DateFormat = "yyyy-MM-dd";

    // Far enough for any record, near enough that a Moscow day's bounds never overflow DateTimeOffset.
    private static readonly DateOnly EarliestDate = new(1900, 1, 1);
    private static readonly DateOnly LatestDate = new(2199, 12, 31);

    /// <summary>First Moscow calendar day included (yyyy-MM-dd).</summary>
    [FromQuery(Name = "from")]
    public string? From { get; init; }

    /// <summary>Last Moscow calendar day included (yyyy-MM-dd).</summary>
    [FromQuery(Name = "to")]
    public string? To { get; init; }

    /// <summary>Kinds (<see cref="RecordItemKinds"/>); repeatable (<c>?kind=visit&amp;kind=lab_result</c>) or comma-separated.</summary>
    [FromQuery(Name = "kind")]
    public string[]? Kind { get; init; }

    [FromQuery(Name = "organizationId")]
    public string? OrganizationId { get; init; }

    /// <summary>The doctor's identifier as organizations send it.</summary>
    [FromQuery(Name = "doctorId")]
    public string? DoctorId { get; init; }

    /// <summary>
    /// The filter, or null with <paramref name="errors"/> naming each wrong parameter (keys are the parameter names,
    /// messages in Russian); pass them to <c>Problems.Validation</c>.
    /// </summary>
    public RecordFilter? ToFilter(out Dictionary<string, string[]> errors)
    {
        errors = [];
        var from = ParseDate(From, "from", errors);
        var to = ParseDate(To, "to", errors);
        if (from is { } start && to is { } end && start > end)
        {
            errors["from"] = ["Начало периода не может быть позже его окончания."];
        }

        List<string>? kinds = null;
        foreach (var kind in (Kind ?? []).SelectMany(k => (k ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!RecordItemKinds.All.Contains(kind))
            {
                errors["kind"] = [$"Неизвестный вид записи «{Shorten(kind)}». Допустимые значения: {string.Join(", ", RecordItemKinds.All)}."];
                continue;
            }
            kinds ??= [];
            if (!kinds.Contains(kind)) kinds.Add(kind);
        }

        Guid? organizationId = null;
        if (!string.IsNullOrWhiteSpace(OrganizationId))
        {
            if (Guid.TryParse(OrganizationId.Trim(), out var parsed)) organizationId = parsed;
            else errors["organizationId"] = ["Идентификатор организации указывается в формате UUID."];
        }

        var doctorId = string.IsNullOrWhiteSpace(DoctorId) ? null : DoctorId.Trim();
        if (doctorId is { Length: > 64 })
        {
            errors["doctorId"] = ["Идентификатор врача не может быть длиннее 64 символов."];
        }

        return errors.Count > 0 ? null : new RecordFilter(from, to, kinds, organizationId, doctorId);
    }

    /// <summary>An optional Moscow calendar day (yyyy-MM-dd) from a query parameter; adds an error under <paramref name="name"/> when malformed.</summary>
    public static DateOnly? ParseDate(string? value, string name, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!DateOnly.TryParseExact(value.Trim(), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors[name] = ["Дата указывается в формате ГГГГ-ММ-ДД, например 2024-03-15."];
            return null;
        }
        if (date < EarliestDate || date > LatestDate)
        {
            errors[name] = ["Дата должна быть не раньше 1900-01-01 и не позже 2199-12-31."];
            return null;
        }
        return date;
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
