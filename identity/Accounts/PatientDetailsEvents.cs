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
    /// without a start date counts from the day it was entered: that much is known about it.
    /// </summary>
    public static OmsPolicyChanged? AddOmsPolicyChanged(this IdentityDb db, HealthUser user, DateTimeOffset now)
    {
        if (user.OmsPolicyNumber is null) return null;
        var evt = new OmsPolicyChanged(
            user.Id,
            user.OmsValidFrom ?? DateOnly.FromDateTime(now.UtcDateTime),
            user.OmsValidTo,
            now);
        db.AddOutboxEvent(evt);
        return evt;
    }
}
