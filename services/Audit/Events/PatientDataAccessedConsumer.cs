using Gosuslugi.Health.Audit.Chain;
using Gosuslugi.Health.Audit.Data;
using Gosuslugi.Health.Audit.Domain;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Audit.Events;

/// <summary>
/// Chains every service's access events into the patient's log: once per message (inbox) and once per event id (a
/// republished event). Tells Notifications, through the outbox and in the same transaction, when an organization opens
/// the patient's record for the first time.
/// </summary>
public sealed class PatientDataAccessedConsumer(AuditDb db, TimeProvider time, ILogger<PatientDataAccessedConsumer> logger)
    : IdempotentConsumer<PatientDataAccessed, AuditDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<PatientDataAccessed> context, CancellationToken ct)
    {
        var message = context.Message;
        var entry = await PatientAccessChain.AppendAsync(Db, message, time.GetUtcNow(), ct);
        if (entry is null)
        {
            logger.LogInformation("Access event {EventId} is already in the patient's chain", message.EventId);
            return;
        }

        // Still under the patient's lock (it lasts until the transaction ends): two first reads by the same
        // organization cannot both see "never before", so the patient is told once.
        if (OpensRecord(entry) && !await OrganizationKnownAsync(entry, ct))
        {
            Db.AddOutboxEvent(new RecordOpenedByNewOrganization(entry.PatientId, entry.OrganizationId!.Value,
                entry.OrganizationName ?? "", entry.ActorRole, entry.Section, entry.OccurredAt));
            logger.LogInformation("Organization {OrganizationId} opened the record of a patient for the first time", entry.OrganizationId);
        }
        // Debug: one line per read of any record would be the busiest log of the system and says nothing the chain does not.
        logger.LogDebug("Access event {EventId} ({Service}/{Section} {Action}, {Outcome}) chained as entry {Sequence} of its patient",
            entry.EventId, entry.Service, entry.Section, entry.Action, entry.Outcome, entry.PatientSequence);
    }

    /// <summary>
    /// An organization (its doctor or itself) read or exported the record, and was let in. Its own writes (create,
    /// change) are not "opening" the record, and a refused attempt opened nothing.
    /// </summary>
    private static bool OpensRecord(AccessEventEntry entry) =>
        entry.OrganizationId is not null
        && entry.Outcome == AccessOutcomes.Allowed
        && entry.ActorRole is AccessActorRoles.Doctor or AccessActorRoles.MedicalOrganization
        && entry.Action is AccessActions.Read or AccessActions.Export;

    /// <summary>
    /// The patient already has an allowed entry of this organization (any action: an organization that has written
    /// into the record, or read it, is one the patient has seen). Refused attempts do not count.
    /// </summary>
    private Task<bool> OrganizationKnownAsync(AccessEventEntry entry, CancellationToken ct) =>
        Db.AccessEvents.AnyAsync(e => e.PatientId == entry.PatientId && e.OrganizationId == entry.OrganizationId
            && e.Outcome == AccessOutcomes.Allowed && e.PatientSequence < entry.PatientSequence, ct);
}
