using Gosuslugi.Health.Contracts.Prescriptions;
using Gosuslugi.Health.Prescriptions.Data;
using Gosuslugi.Health.Prescriptions.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Encryption;

namespace Gosuslugi.Health.Prescriptions.Events;

/// <summary>Configuration section Prescriptions:DemoData (./run.sh turns it on through the AppHost).</summary>
public sealed class DemoDataOptions
{
    public const string Section = "Prescriptions:DemoData";

    /// <summary>The first patient the service learns of gets two prescriptions, for a system to show something.</summary>
    public bool Enabled { get; set; }
}

/// <summary>
/// Two prescriptions of the demo organization for the demo patient: identity's demo seeding registers the demo patient
/// first, so the first PatientRegistered a fresh development system receives is theirs. Never in production (the
/// option is only set by the AppHost).
/// </summary>
public static class DemoPrescriptions
{
    public static readonly Guid DemoOrganizationId = Guid.Parse("0193a5c0-0000-7000-8000-0000000000d1");
    private const string DemoOrganizationName = "ГБУЗ «Городская поликлиника № 1»";

    public static async Task AddAsync(PrescriptionsDb db, PatientDataKeys<PrescriptionsDb> keys, Guid patientId, DateTimeOffset now,
        CancellationToken ct)
    {
        var cipher = await keys.ForWritingAsync(patientId, ct);
        var today = MoscowTime.DateOf(now);
        Add(db, cipher, patientId, "DEMO-RX-1", now, today, quantity: 2, preferential: null,
            new PrescriptionContent("21.20.10.112", "Эналаприл 10 мг, таблетки", "По 1 таблетке 2 раза в день, утром и вечером",
                new StructuredDose(1, "таб.", 2, 1, "d"), "уп.", "Смирнова Елена Викторовна, терапевт", null, null, null));
        Add(db, cipher, patientId, "DEMO-RX-2", now.AddMinutes(1), today, quantity: 1,
            new ReimbursementProgram("ONLS", "Обеспечение необходимыми лекарственными препаратами (ОНЛС)"),
            new PrescriptionContent("21.20.10.254", "Метформин 850 мг, таблетки", "По 1 таблетке 2 раза в день во время еды",
                new StructuredDose(1, "таб.", 2, 1, "d"), "уп.", "Смирнова Елена Викторовна, терапевт", null,
                new ReimbursementProgram("ONLS", "Обеспечение необходимыми лекарственными препаратами (ОНЛС)"), null));
    }

    private static void Add(PrescriptionsDb db, PatientCipher cipher, Guid patientId, string externalId, DateTimeOffset issuedAt,
        DateOnly today, decimal quantity, ReimbursementProgram? preferential, PrescriptionContent content)
    {
        var prescription = new Prescription
        {
            PatientId = patientId, OrganizationId = DemoOrganizationId, OrganizationName = DemoOrganizationName,
            ExternalId = externalId, ContentHash = new string('0', 64), Content = content.SealWith(cipher),
            Status = PrescriptionStatuses.Active, Quantity = quantity, Preferential = preferential is not null,
            AuthoredOn = today, ValidFrom = today, ValidUntil = today.AddDays(preferential is null ? 60 : 30),
            IssuedAt = issuedAt, UpdatedAt = issuedAt,
        };
        db.Prescriptions.Add(prescription);
        db.AddOutboxEvent(new PrescriptionIssued(prescription.Id, patientId, 1, DemoOrganizationName, prescription.Status,
            prescription.ValidUntil, issuedAt));
    }
}
