using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Events;

public static class IdentityConsumers
{
    /// <summary>PatientRegistered, AccountLevelChanged and OmsPolicyChanged keep <c>KnownPatient</c> rows.</summary>
    public static IBusRegistrationConfigurator AddIdentityConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<PatientRegisteredConsumer>();
        bus.AddConsumer<AccountLevelChangedConsumer>();
        bus.AddConsumer<OmsPolicyChangedConsumer>();
        return bus;
    }

    /// <summary>
    /// The patient's row, created empty when this is the first event about them, and locked until the consumer's
    /// transaction ends. Events of one patient arrive in any order and concurrently (one queue per consumer), so each
    /// consumer fills only its own part, and the lock keeps two events of the same part from both passing the
    /// OccurredAt check.
    /// </summary>
    internal static async Task<KnownPatient> LockKnownPatientAsync(AppointmentsDb db, Guid patientId, CancellationToken ct)
    {
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO known_patients (patient_id) VALUES ({patientId}) ON CONFLICT DO NOTHING", ct);
        // ToList rather than Single, so that EF sends the statement as written instead of wrapping it in a subquery.
        var rows = await db.KnownPatients
            .FromSqlInterpolated($"SELECT * FROM known_patients WHERE patient_id = {patientId} FOR UPDATE")
            .AsTracking()
            .ToListAsync(ct);
        return rows.Single();
    }
}

/// <summary>Name, SNILS and birth date: how organizations and doctors recognize the patient.</summary>
public sealed class PatientRegisteredConsumer(AppointmentsDb db, ILogger<PatientRegisteredConsumer> logger)
    : IdempotentConsumer<PatientRegistered, AppointmentsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<PatientRegistered> context, CancellationToken ct)
    {
        var message = context.Message;
        var patient = await IdentityConsumers.LockKnownPatientAsync(Db, message.PatientId, ct);
        if (patient.RegisteredAt is { } known && known >= message.OccurredAt)
        {
            logger.LogInformation("PatientRegistered of {OccurredAt} for {PatientId} is older than what is known; ignored",
                message.OccurredAt, message.PatientId);
            return;
        }

        patient.Snils = message.Snils;
        patient.FamilyName = message.FamilyName;
        patient.GivenName = message.GivenName;
        patient.MiddleName = message.MiddleName;
        patient.BirthDate = message.BirthDate;
        patient.RegisteredAt = message.OccurredAt;
    }
}

/// <summary>Booking needs a confirmed account.</summary>
public sealed class AccountLevelChangedConsumer(AppointmentsDb db, ILogger<AccountLevelChangedConsumer> logger)
    : IdempotentConsumer<AccountLevelChanged, AppointmentsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<AccountLevelChanged> context, CancellationToken ct)
    {
        var message = context.Message;
        var patient = await IdentityConsumers.LockKnownPatientAsync(Db, message.PatientId, ct);
        if (patient.AccountLevelAt is { } known && known >= message.OccurredAt)
        {
            logger.LogInformation("AccountLevelChanged of {OccurredAt} for {PatientId} is older than what is known; ignored",
                message.OccurredAt, message.PatientId);
            return;
        }

        patient.AccountLevel = message.Level;
        patient.AccountLevelAt = message.OccurredAt;
    }
}

/// <summary>Booking needs an OMS policy in force on the day of the visit.</summary>
public sealed class OmsPolicyChangedConsumer(AppointmentsDb db, ILogger<OmsPolicyChangedConsumer> logger)
    : IdempotentConsumer<OmsPolicyChanged, AppointmentsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<OmsPolicyChanged> context, CancellationToken ct)
    {
        var message = context.Message;
        var patient = await IdentityConsumers.LockKnownPatientAsync(Db, message.PatientId, ct);
        if (patient.OmsChangedAt is { } known && known >= message.OccurredAt)
        {
            logger.LogInformation("OmsPolicyChanged of {OccurredAt} for {PatientId} is older than what is known; ignored",
                message.OccurredAt, message.PatientId);
            return;
        }

        patient.OmsValidFrom = message.ValidFrom;
        patient.OmsValidTo = message.ValidTo;
        patient.OmsChangedAt = message.OccurredAt;
    }
}
