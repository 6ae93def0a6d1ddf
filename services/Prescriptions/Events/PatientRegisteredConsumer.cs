using Gosuslugi.Health.Contracts;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Prescriptions.Data;
using Gosuslugi.Health.Prescriptions.Domain;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Prescriptions.Events;

/// <summary>
/// Learns which patient has which SNILS, so organizations can name patients by it. With demo data on, the first patient
/// (identity's demo patient) gets the demo prescriptions in the same commit.
/// </summary>
public sealed class PatientRegisteredConsumer(PrescriptionsDb db, PatientDataKeys<PrescriptionsDb> keys, IOptions<DemoDataOptions> demo,
    TimeProvider time, ILogger<PatientRegisteredConsumer> logger)
    : IdempotentConsumer<PatientRegistered, PrescriptionsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<PatientRegistered> context, CancellationToken ct)
    {
        var message = context.Message;
        var snils = Snils.Normalize(message.Snils);
        if (Snils.Check(snils) != Snils.Problem.None)
        {
            // Identity validates SNILS at registration; a bad one here is a bug upstream, so it goes to _error.
            throw new InvalidOperationException($"PatientRegistered for {message.PatientId} carries an invalid SNILS.");
        }

        var known = await Db.KnownPatients.SingleOrDefaultAsync(p => p.PatientId == message.PatientId, ct);
        if (known is not null)
        {
            known.BirthDate = message.BirthDate;
            return;
        }

        if (demo.Value.Enabled && !await Db.KnownPatients.AnyAsync(ct))
        {
            await DemoPrescriptions.AddAsync(Db, keys, message.PatientId, time.GetUtcNow(), ct);
            logger.LogInformation("Demo patient {PatientId} gets two demo prescriptions", message.PatientId);
        }
        Db.KnownPatients.Add(new KnownPatient
        {
            PatientId = message.PatientId, Snils = snils, BirthDate = message.BirthDate, RegisteredAt = message.OccurredAt,
        });
        logger.LogInformation("Patient {PatientId} is now known by SNILS", message.PatientId);
    }
}
