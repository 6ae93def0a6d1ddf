using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Gosuslugi.Health.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gosuslugi.Health.ServiceDefaults.Patients;

/// <summary>
/// Learns which patient has which SNILS (organizations name patients by it) and their name (what the service prints
/// or shows names them). A repeated registration of the same patient updates the name and birth date.
/// </summary>
public sealed class PatientRegisteredConsumer<TDb>(TDb db, ILogger<PatientRegisteredConsumer<TDb>> logger)
    : IdempotentConsumer<PatientRegistered, TDb>(db)
    where TDb : DbContext
{
    // Stable and short: the generic type's full name would carry assembly versions.
    protected override string ConsumerName => "patient-registered";

    protected override async Task HandleAsync(ConsumeContext<PatientRegistered> context, CancellationToken ct)
    {
        var message = context.Message;
        var snils = new string(message.Snils.Where(char.IsAsciiDigit).ToArray());
        if (snils.Length != 11)
        {
            // Identity validates SNILS at registration; a bad one here is a bug upstream, so it goes to _error.
            throw new InvalidOperationException($"PatientRegistered for {message.PatientId} carries an invalid SNILS.");
        }

        var known = await Db.Set<KnownPatient>().SingleOrDefaultAsync(p => p.PatientId == message.PatientId, ct);
        if (known is not null)
        {
            known.FamilyName = message.FamilyName;
            known.GivenName = message.GivenName;
            known.MiddleName = message.MiddleName;
            known.BirthDate = message.BirthDate;
            logger.LogInformation("Patient {PatientId} is already known; name and birth date updated", message.PatientId);
            return;
        }

        Db.Set<KnownPatient>().Add(new KnownPatient
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

public static class PatientRegisteredConsumers
{
    /// <summary>
    /// Registers <see cref="PatientRegisteredConsumer{TDb}"/> on the queue "{service}-patient-registered" (MassTransit
    /// would name a generic consumer after its type argument). The service maps <see cref="KnownPatients.AddKnownPatients"/>.
    /// </summary>
    public static IBusRegistrationConfigurator AddPatientRegisteredConsumer<TDb>(this IBusRegistrationConfigurator bus,
        IHostApplicationBuilder builder) where TDb : DbContext
    {
        bus.AddConsumer<PatientRegisteredConsumer<TDb>>().Endpoint(e => e.Name = TelemetryExtensions.ServiceName(builder) + "-patient-registered");
        return bus;
    }
}
