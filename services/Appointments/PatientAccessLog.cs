using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults.Audit;

namespace Gosuslugi.Health.Appointments;

/// <summary>
/// The access events of the request being served: who opened or changed a patient's appointments, attachment or
/// waitlist, and why. Every event of this service is in <see cref="Section"/>.
/// </summary>
public sealed class PatientAccessLog(AppointmentsDb db, IHttpContextAccessor http)
{
    /// <summary>The area of the patient's data these events are about, as Audit shows it.</summary>
    public const string Section = "appointments";

    /// <summary>The event names its actor (from the token) and the purpose a caller declared, so it needs the request.</summary>
    private HttpContext Request =>
        http.HttpContext ?? throw new InvalidOperationException("Access to a patient's data is logged while a request is served.");

    /// <summary>Adds the event to the pending changes: it is saved with the change it describes, or not at all.</summary>
    public void Add(Guid patientId, string action, string purpose, Guid? itemId = null) =>
        db.AddAccessEvent(Request, patientId, Section, action, purpose, itemId);

    /// <summary>Adds the event and saves it at once (a read, or a refusal that changes nothing else).</summary>
    public Task LogAsync(Guid patientId, string action, string purpose, Guid? itemId, CancellationToken ct,
        string outcome = AccessOutcomes.Allowed) =>
        db.LogAccessAsync(Request, patientId, Section, action, purpose, itemId, outcome, ct);
}
