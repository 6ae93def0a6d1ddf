using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Immunizations.Data;
using Gosuslugi.Health.Immunizations.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Gosuslugi.Health.Contracts;

namespace Gosuslugi.Health.Immunizations.Events;

/// <summary>Learns which patient has which SNILS, so organizations can name patients by it.</summary>
public sealed class PatientRegisteredConsumer(ImmunizationsDb db, ILogger<PatientRegisteredConsumer> logger)
    : IdempotentConsumer<PatientRegistered, ImmunizationsDb>(db)
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
            logger.LogInformation("Patient {PatientId} is already known", message.PatientId);
            return;
        }

        Db.KnownPatients.Add(new KnownPatient(message.PatientId, snils, message.BirthDate, message.OccurredAt));
        logger.LogInformation("Patient {PatientId} is now known by SNILS", message.PatientId);
    }
}
