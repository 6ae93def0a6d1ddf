using System.Security.Cryptography;
using System.Text;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Records.Tests;

/// <summary>
/// Record items written straight into the database, for tests of reading, filtering and exporting that do not need to
/// go through ingestion (which has its own tests). They are built in clear (<see cref="TestItem"/>, ...) and sealed
/// with the patient's data key as they are saved, exactly as ingestion stores them.
/// </summary>
public static class TestRecords
{
    public static readonly Guid DefaultOrganization = Guid.Parse("0193a000-0000-7000-8000-000000000001");

    public static TestItem Visit(Guid patientId, DateTimeOffset at, Guid? organizationId = null, string? doctorId = "doc-1",
        string title = "Приём врача-терапевта", string diagnosisCode = "J06.9", string[]? sections = null) =>
        Item(patientId, RecordItemKinds.Visit, "Encounter", at, organizationId, doctorId, title,
            RecordDetails.Serialize(new VisitDetails("consultation",
                [new Diagnosis(diagnosisCode, "Острая инфекция верхних дыхательных путей", true)],
                "Рекомендовано обильное питьё, контроль через 7 дней.", null)),
            sections ?? [RecordSections.Visits], [diagnosisCode]);

    public static TestItem LabResult(Guid patientId, DateTimeOffset at, Guid? organizationId = null,
        string title = "Общий анализ крови", string? doctorId = "doc-1") =>
        Item(patientId, RecordItemKinds.LabResult, "DiagnosticReport", at, organizationId, doctorId, title,
            RecordDetails.Serialize(new ResultDetails("laboratory", "58410-2", "Без существенных отклонений", null, at)),
            [RecordSections.LabResults], []);

    public static TestValue Value(TestItem result, string code, string name, decimal value, string unit,
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

    public static TestItem Item(Guid patientId, string kind, string resourceType, DateTimeOffset at, Guid? organizationId,
        string? doctorId, string title, string details, string[] sections, string[] diagnosisCodes)
    {
        var recordId = Guid.CreateVersion7();
        return new TestItem
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
    public static TestDocument Pdf(TestItem item, string text = "Протокол осмотра")
    {
        var content = Encoding.UTF8.GetBytes("%PDF-1.4\n% " + text + "\n%%EOF\n");
        return new TestDocument
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

    /// <summary>The cipher of <paramref name="patientId"/>'s data key, as the service has it (made if missing).</summary>
    public static async Task<PatientCipher> CipherAsync(this RecordsApp app, Guid patientId) =>
        await app.Factory.Services.GetRequiredService<PatientDataKeys<RecordsDb>>().ForWritingAsync(patientId, CancellationToken.None);

    /// <summary>A sealed text of <paramref name="patientId"/> as stored, opened.</summary>
    public static async Task<string> OpenTextAsync(this RecordsApp app, Guid patientId, Sealed value) =>
        (await app.CipherAsync(patientId)).OpenText(value);

    public static async Task SaveDocumentAsync(this RecordsApp app, TestDocument document)
    {
        var cipher = await app.CipherAsync(document.PatientId);
        await app.WithDbAsync(async db =>
        {
            db.Documents.Add(document.Seal(cipher));
            await db.SaveChangesAsync();
        });
    }

    /// <summary>Saves items (and their observations) in one transaction, sealed with their patients' keys.</summary>
    public static async Task SaveAsync(this RecordsApp app, IEnumerable<TestItem> items, IEnumerable<TestValue>? observations = null)
    {
        var itemList = items.ToList();
        var valueList = observations?.ToList() ?? [];
        var ciphers = new Dictionary<Guid, PatientCipher>();
        foreach (var patientId in itemList.Select(i => i.PatientId).Concat(valueList.Select(v => v.PatientId)).Distinct())
            ciphers[patientId] = await app.CipherAsync(patientId);
        await app.WithDbAsync(async db =>
        {
            db.Items.AddRange(itemList.Select(i => i.Seal(ciphers[i.PatientId])));
            db.Observations.AddRange(valueList.Select(v => v.Seal(ciphers[v.PatientId])));
            await db.SaveChangesAsync();
        });
    }
}

/// <summary>A <see cref="RecordItem"/> in clear, as a test writes it.</summary>
public sealed class TestItem
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid RecordId { get; init; }
    public int Version { get; init; } = 1;
    public bool IsCurrent { get; set; } = true;
    public Guid PatientId { get; init; }
    public Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    public required string ExternalId { get; init; }
    public required string Kind { get; init; }
    public required string ResourceType { get; init; }
    public required string Status { get; init; }
    public required string Title { get; init; }
    public DateTimeOffset EffectiveAt { get; init; }
    public string? DepartmentName { get; init; }
    public string? DoctorId { get; init; }
    public string? DoctorName { get; init; }
    public string? Specialty { get; init; }
    public required string[] Sections { get; init; }
    public string[] DiagnosisCodes { get; init; } = [];
    public required string Details { get; init; }
    public required string ContentHash { get; init; }
    public required string SubmittedBy { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public string? CorrectionReason { get; init; }
    public Guid? CorrectsItemId { get; init; }
    public DateTimeOffset? SupersededAt { get; set; }
    public bool HasDocument { get; init; }

    public RecordItem Seal(PatientCipher cipher) => new()
    {
        Id = Id, RecordId = RecordId, Version = Version, IsCurrent = IsCurrent, PatientId = PatientId,
        OrganizationId = OrganizationId, OrganizationName = OrganizationName, ExternalId = ExternalId, Kind = Kind,
        ResourceType = ResourceType, Status = Status, Title = cipher.Seal(Title), EffectiveAt = EffectiveAt,
        DepartmentName = DepartmentName, DoctorId = DoctorId, DoctorName = DoctorName, Specialty = Specialty,
        Sections = Sections, DiagnosisCodes = DiagnosisCodes, Details = cipher.Seal(Details), ContentHash = ContentHash,
        SubmittedBy = SubmittedBy, ReceivedAt = ReceivedAt, CorrectionReason = cipher.SealOrNull(CorrectionReason),
        CorrectsItemId = CorrectsItemId, SupersededAt = SupersededAt, HasDocument = HasDocument,
    };
}

/// <summary>An <see cref="Observation"/> in clear, as a test writes it.</summary>
public sealed class TestValue
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid ItemId { get; init; }
    public Guid PatientId { get; init; }
    public bool IsCurrent { get; set; } = true;
    public required string AnalyteCode { get; init; }
    public required string AnalyteName { get; init; }
    public decimal? Value { get; init; }
    public string? ValueText { get; init; }
    public string? Unit { get; init; }
    public decimal? ReferenceLow { get; init; }
    public decimal? ReferenceHigh { get; init; }
    public string? ReferenceText { get; init; }
    public required string Interpretation { get; init; }
    public string? Comment { get; init; }
    public DateTimeOffset TakenAt { get; init; }
    public int Position { get; init; }

    public Observation Seal(PatientCipher cipher) => new()
    {
        Id = Id, ItemId = ItemId, PatientId = PatientId, IsCurrent = IsCurrent, AnalyteCode = AnalyteCode,
        Content = new ObservationContent(AnalyteName, Value, ValueText, ReferenceLow, ReferenceHigh, ReferenceText, Comment).SealWith(cipher),
        Unit = Unit, Interpretation = Interpretation, TakenAt = TakenAt, Position = Position,
    };
}

/// <summary>A <see cref="RecordDocument"/> in clear, as a test writes it.</summary>
public sealed class TestDocument
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid ItemId { get; init; }
    public Guid PatientId { get; init; }
    public required string ContentType { get; init; }
    public required string FileName { get; init; }
    public required byte[] Content { get; init; }
    public required string Sha256 { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }

    public RecordDocument Seal(PatientCipher cipher) => new()
    {
        Id = Id, ItemId = ItemId, PatientId = PatientId, ContentType = ContentType, FileName = cipher.Seal(FileName),
        Content = cipher.Seal(Content), Size = Content.Length, Sha256 = Sha256, ReceivedAt = ReceivedAt,
    };
}
