using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Identity.Accounts;

/// <summary>
/// The person's details other services keep a copy of: the OMS policy (Appointments checks it before booking) and the
/// confirmed contacts (Notifications sends there). The events join the caller's unit of work through the outbox, so
/// they are published if and only if the change is committed.
/// </summary>
public static class PatientDetailsEvents
{
    /// <summary>
    /// <see cref="ContactDetailsChanged"/> with both contacts as they are now: sent whole, so the newest event is the
    /// truth. An unconfirmed contact is nobody's to write to, so it goes as null.
    /// </summary>
    public static ContactDetailsChanged AddContactDetailsChanged(this IdentityDb db, HealthUser user, DateTimeOffset now)
    {
        var evt = new ContactDetailsChanged(
            user.Id,
            user.PhoneNumberConfirmed ? user.PhoneNumber : null,
            user.EmailConfirmed ? user.Email : null,
            now);
        db.AddOutboxEvent(evt);
        return evt;
    }

    /// <summary>
    /// <see cref="OmsPolicyChanged"/> for the policy the person has now (nothing when they have none). A policy entered
    /// without a start date counts from the day it was entered: that much is known about it. The policy comes opened
    /// (<see cref="PersonDocuments"/>): the event carries only its dates, never the number or insurer.
    /// </summary>
    public static OmsPolicyChanged? AddOmsPolicyChanged(this IdentityDb db, Guid userId, OmsPolicyDetails? policy, DateTimeOffset now)
    {
        if (policy is null) return null;
        var evt = new OmsPolicyChanged(
            userId,
            policy.ValidFrom ?? DateOnly.FromDateTime(now.UtcDateTime),
            policy.ValidTo,
            now);
        db.AddOutboxEvent(evt);
        return evt;
    }
}
