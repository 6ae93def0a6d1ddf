using CsvHelper;

namespace Gosuslugi.Health.Records.Exports;

/// <summary>
/// The CSV export: one row per value of a result, one row per other item (and per result without values). UTF-8 with a
/// byte order mark and ";" between fields, numbers with a decimal comma: what Excel in a Russian locale opens as a
/// table at a double click (with "," it would put each row into one cell). Quoting follows RFC 4180; text that a
/// spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe.
/// </summary>
public static class HistoryCsv
{
    public const string ContentType = "text/csv; charset=utf-8";
    public const char Separator = ';';

    /// <summary>The header row, in the order of the fields of every row.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "Дата (МСК)",
        "Вид записи",
        "Наименование",
        "Организация",
        "Врач",
        "Специальность",
        "Диагнозы (МКБ-10)",
        "Код показателя",
        "Показатель",
        "Значение",
        "Единицы",
        "Референс: от",
        "Референс: до",
        "Оценка",
        "Комментарий / заключение",
        "Идентификатор записи",
    ];

    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        Separator = Separator,
        WriteByteOrderMark = true,
        FormatProvider = ExportText.Culture,
        Injection = CsvInjection.Escape,
    };

    /// <summary>Writes the rows to <paramref name="output"/> as the entries arrive, flushing asynchronously.</summary>
    public static async Task WriteAsync(IAsyncEnumerable<ExportEntry> entries, Stream output, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        csv.WriteRecord(Columns.ToArray());
        await foreach (var entry in entries.WithCancellation(ct))
        {
            var item = entry.Item;
            if (entry.Values.Count == 0)
            {
                WriteItemFields(csv, item);
                for (var i = 0; i < 7; i++) csv.WriteField((string?)null);
                csv.WriteField(ExportDetails.Conclusion(item));
                csv.WriteField(item.Id, "D");
                await csv.EndRecordAsync(ct);
                continue;
            }

            foreach (var value in entry.Values)
            {
                WriteItemFields(csv, item);
                csv.WriteField(value.AnalyteCode);
                csv.WriteField(value.AnalyteName);
                if (value.Value is { } number) csv.WriteField(number, "0.######");
                else csv.WriteField(value.ValueText);
                csv.WriteField(value.Unit);
                if (value.ReferenceLow is null && value.ReferenceHigh is null)
                {
                    // A range that is not numeric ("отрицательно") is kept, in the first of the two columns.
                    csv.WriteField(value.ReferenceText);
                    csv.WriteField((string?)null);
                }
                else
                {
                    csv.WriteField(value.ReferenceLow, "0.######");
                    csv.WriteField(value.ReferenceHigh, "0.######");
                }
                csv.WriteField(ExportText.Interpretation(value.Interpretation));
                csv.WriteField(value.Comment);
                csv.WriteField(item.Id, "D");
                await csv.EndRecordAsync(ct);
            }
        }
        await csv.FlushAsync(ct);
    }

    private static void WriteItemFields(CsvWriter csv, ExportItem item)
    {
        csv.WriteField(ExportText.DateTime(item.EffectiveAt));
        csv.WriteField(ExportText.Kind(item.Kind));
        csv.WriteField(item.Title);
        csv.WriteField(item.DepartmentName is null ? item.OrganizationName : $"{item.OrganizationName}, {item.DepartmentName}");
        csv.WriteField(item.DoctorName);
        csv.WriteField(item.Specialty);
        csv.WriteField(string.Join(", ", item.DiagnosisCodes));
    }
}
