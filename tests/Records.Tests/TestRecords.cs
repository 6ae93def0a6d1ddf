using System.Security.Cryptography;
using System.Text;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Domain;

namespace Gosuslugi.Health.Records.Tests;

/// <summary>
/// Record items written straight into the database, for tests of reading, filtering and exporting that do not need to
/// go through ingestion (which has its own tests).
/// </summary>
public static class TestRecords
{
    public static readonly Guid DefaultOrganization = Guid.Parse("0193a000-0000-7000-8000-000000000001");

    public static RecordItem Visit(Guid patientId, DateTimeOffset at, Guid? organizationId = null, string? doctorId = "doc-1",
        string title = "Приём врача-терапевта", string diagnosisCode = "J06.9", string[]? sections = null) =>
        Item(patientId, RecordItemKinds.Visit, "Encounter", at, organizationId, doctorId, title,
            RecordDetails.Serialize(new VisitDetails("consultation",
                [new Diagnosis(diagnosisCode, "Острая инфекция верхних дыхательных путей", true)],
                "Рекомендовано обильное питьё, контроль через 7 дней.", null)),
            sections ?? [RecordSections.Visits], [diagnosisCode]);

    public static RecordItem LabResult(Guid patientId, DateTimeOffset at, Guid? organizationId = null,
        string title = "Общий анализ крови", string? doctorId = "doc-1") =>
        Item(patientId, RecordItemKinds.LabResult, "DiagnosticReport", at, organizationId, doctorId, title,
            RecordDetails.Serialize(new ResultDetails("laboratory", "58410-2", "Без существенных отклонений", null, at)),
            [RecordSections.LabResults], []);

    public static Observation Value(RecordItem result, string code, string name, decimal value, string unit,
        decimal? low = null, decimal? high = null, string? interpretation = null, int position = 0) => new()
    {
        ItemId = result.Id,
        PatientId = result.PatientId,
        AnalyteCode = code,
        AnalyteName = name,
        Value = value,
        Unit = unit,
        ReferenceLow = low,
        ReferenceHigh = high,
        Interpretation = interpretation
            ?? (value < low ? Interpretations.Low : value > high ? Interpretations.High : Interpretations.Normal),
        TakenAt = result.EffectiveAt,
        Position = position,
    };

    public static RecordItem Item(Guid patientId, string kind, string resourceType, DateTimeOffset at, Guid? organizationId,
        string? doctorId, string title, string details, string[] sections, string[] diagnosisCodes)
    {
        var recordId = Guid.CreateVersion7();
        return new RecordItem
        {
            RecordId = recordId,
            PatientId = patientId,
            OrganizationId = organizationId ?? DefaultOrganization,
            OrganizationName = "ГБУЗ «Городская поликлиника № 1»",
            ExternalId = "ext-" + recordId.ToString("N"),
            Kind = kind,
            ResourceType = resourceType,
            Status = "final",
            Title = title,
            EffectiveAt = at,
            DoctorId = doctorId,
            DoctorName = doctorId is null ? null : "Иванова Мария Петровна",
            Specialty = doctorId is null ? null : "Терапевт",
            Sections = sections,
            DiagnosisCodes = diagnosisCodes,
            Details = details,
            ContentHash = new string('0', 64),
            SubmittedBy = "test-client",
            ReceivedAt = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>A PDF attached to <paramref name="item"/> (the bytes need only look like one).</summary>
    public static RecordDocument Pdf(RecordItem item, string text = "Протокол осмотра")
    {
        var content = Encoding.UTF8.GetBytes("%PDF-1.4\n% " + text + "\n%%EOF\n");
        return new RecordDocument
        {
            ItemId = item.Id,
            PatientId = item.PatientId,
            ContentType = "application/pdf",
            FileName = "protocol.pdf",
            Content = content,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            ReceivedAt = DateTimeOffset.UtcNow,
        };
    }

    public static Task SaveDocumentAsync(this RecordsApp app, RecordDocument document) =>
        app.WithDbAsync(async db =>
        {
            db.Documents.Add(document);
            await db.SaveChangesAsync();
        });

    /// <summary>Saves items (and their observations) in one transaction.</summary>
    public static Task SaveAsync(this RecordsApp app, IEnumerable<RecordItem> items, IEnumerable<Observation>? observations = null) =>
        app.WithDbAsync(async db =>
        {
            db.Items.AddRange(items);
            if (observations is not null) db.Observations.AddRange(observations);
            await db.SaveChangesAsync();
        });
}
