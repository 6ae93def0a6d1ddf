using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.SickLeave.Data;
using Gosuslugi.Health.SickLeave.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.SickLeave.Events;

/// <summary>
/// Learns which patient has which SNILS (organizations name patients by it) and their name (the certificate and the organization's queue show it).
/// A repeated registration of the same patient updates the name and birth date.
/// </summary>
public sealed class PatientRegisteredConsumer(SickLeaveDb db, ILogger<PatientRegisteredConsumer> logger)
    : IdempotentConsumer<PatientRegistered, SickLeaveDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<PatientRegistered> context, CancellationToken ct)
    {
        var message = context.Message;
        var snils = new string(message.Snils.Where(char.IsAsciiDigit).ToArray());
        if (snils.Length != 11)
        {
            // Identity validates SNILS at registration; a bad one here is a bug upstream, so it goes to _error.
            throw new InvalidOperationException($"PatientRegistered for {message.PatientId} carries an invalid SNILS.");
        }

        var known = await Db.KnownPatients.SingleOrDefaultAsync(p => p.PatientId == message.PatientId, ct);
        if (known is not null)
        {
            known.FamilyName = message.FamilyName;
            known.GivenName = message.GivenName;
            known.MiddleName = message.MiddleName;
            known.BirthDate = message.BirthDate;
            logger.LogInformation("Patient {PatientId} is already known; name and birth date updated", message.PatientId);
            return;
        }

        Db.KnownPatients.Add(new KnownPatient
        {
            PatientId = message.PatientId,
            Snils = snils,
            FamilyName = message.FamilyName,
            GivenName = message.GivenName,
            MiddleName = message.MiddleName,
            BirthDate = message.BirthDate,
            RegisteredAt = message.OccurredAt,
        });
        logger.LogInformation("Patient {PatientId} is now known by SNILS", message.PatientId);
    }
}
