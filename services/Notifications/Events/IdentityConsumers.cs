using System.Globalization;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Events;

public static class IdentityConsumers
{
    /// <summary>Contacts, delegations and security events from identity.</summary>
    public static IBusRegistrationConfigurator AddIdentityConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ContactDetailsChangedConsumer>();
        bus.AddConsumer<DelegationGrantedConsumer>();
        bus.AddConsumer<DelegationRevokedConsumer>();
        bus.AddConsumer<SecurityEventRecordedConsumer>();
        return bus;
    }

    /// <summary>
    /// An event's time as PostgreSQL stores it (microseconds): compared with a stored instant, the same event must be
    /// equal, not "newer" by the 100-nanosecond ticks the column dropped.
    /// </summary>
    internal static DateTimeOffset AsStored(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    /// <summary>Identity's detail key on a sign-in that came from a device the account had not used before.</summary>
    public const string NewDeviceDetail = "newDevice";

    /// <summary>Identity's detail key on a lockout: until when (ISO 8601).</summary>
    public const string LockedUntilDetail = "until";
}

/// <summary>
/// Where SMS and e-mail go. Identity sends the whole set on every change, so the newest event is the truth; an older
/// one arriving late (redelivered, retried) changes nothing.
/// </summary>
public sealed class ContactDetailsChangedConsumer(NotificationsDb db, TimeProvider time,
    ILogger<ContactDetailsChangedConsumer> logger)
    : IdempotentConsumer<ContactDetailsChanged, NotificationsDb>(db)
{
    private const int PhoneLength = 20;
    private const int EmailLength = 254;

    protected override async Task HandleAsync(ConsumeContext<ContactDetailsChanged> context, CancellationToken ct)
    {
        var message = context.Message;
        var occurredAt = IdentityConsumers.AsStored(message.OccurredAt);
        // Locked: the preferences API may be creating the same row right now.
        var recipient = await Db.Recipients
            .FromSql($"""SELECT * FROM recipients WHERE person_id = {message.PatientId} FOR UPDATE""")
            .AsTracking()
            .SingleOrDefaultAsync(ct);
        if (recipient is null)
        {
            recipient = new Recipient { PersonId = message.PatientId };
            Db.Recipients.Add(recipient);
        }
        else if (recipient.ContactsChangedAt >= occurredAt)
        {
            logger.LogInformation("Contacts of {PersonId} are newer than the event of {OccurredAt}; unchanged",
                message.PatientId, message.OccurredAt);
            return;
        }

        recipient.Phone = Fit(message.Phone, PhoneLength, "phone");
        recipient.Email = Fit(message.Email, EmailLength, "e-mail");
        recipient.ContactsChangedAt = occurredAt;
        recipient.UpdatedAt = time.GetUtcNow();
    }

    private string? Fit(string? value, int length, string what)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return null;
        if (trimmed.Length <= length) return trimmed;
        // Identity validates contacts; a value that does not fit is no destination to send anything to.
        logger.LogWarning("Ignoring a {What} of {Length} characters", what, trimmed.Length);
        return null;
    }
}

/// <summary>
/// A representative gets the patient's notifications (private texts only) while the delegation lasts: the planner
/// reads these rows when it plans deliveries.
/// </summary>
public sealed class DelegationGrantedConsumer(NotificationsDb db, ILogger<DelegationGrantedConsumer> logger)
    : IdempotentConsumer<DelegationGranted, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<DelegationGranted> context, CancellationToken ct)
    {
        var message = context.Message;
        if (await Db.Delegations.AnyAsync(d => d.DelegationId == message.DelegationId, ct))
        {
            // Granted again under a new message id, or the revocation arrived first: the row stands.
            logger.LogInformation("Delegation {DelegationId} is already known", message.DelegationId);
            return;
        }

        Db.Delegations.Add(new KnownDelegation
        {
            DelegationId = message.DelegationId,
            PatientId = message.PatientId,
            ActorId = message.ActorId,
            Scope = message.Scope,
            ValidFrom = message.ValidFrom,
            ValidTo = message.ValidTo,
        });
    }
}

/// <summary>
/// A revoked delegation gets nothing more: no new deliveries, and those still waiting (quiet hours, retries) are
/// withdrawn.
/// </summary>
public sealed class DelegationRevokedConsumer(NotificationsDb db)
    : IdempotentConsumer<DelegationRevoked, NotificationsDb>(db)
{
    /// <summary>The scope of a row written for a revocation that overtook its grant.</summary>
    public const string UnknownScope = "unknown";

    protected override async Task HandleAsync(ConsumeContext<DelegationRevoked> context, CancellationToken ct)
    {
        var message = context.Message;
        var revokedAt = IdentityConsumers.AsStored(message.OccurredAt);
        var delegation = await Db.Delegations.AsTracking()
            .SingleOrDefaultAsync(d => d.DelegationId == message.DelegationId, ct);
        if (delegation is null)
        {
            // The grant is on another queue and may come later: this row makes it change nothing.
            Db.Delegations.Add(new KnownDelegation
            {
                DelegationId = message.DelegationId,
                PatientId = message.PatientId,
                ActorId = message.ActorId,
                Scope = UnknownScope,
                ValidFrom = revokedAt,
                ValidTo = revokedAt,
                RevokedAt = revokedAt,
            });
        }
        else
        {
            delegation.RevokedAt ??= revokedAt;
        }

        // Another delegation between the same two people may still last: their deliveries stay.
        var stillDelegated = await Db.Delegations.AnyAsync(d => d.PatientId == message.PatientId
            && d.ActorId == message.ActorId && d.DelegationId != message.DelegationId && d.RevokedAt == null
            && d.ValidFrom <= revokedAt && revokedAt < d.ValidTo, ct);
        if (!stillDelegated)
        {
            await Db.Deliveries
                .Where(d => d.PatientId == message.PatientId && d.RecipientId == message.ActorId
                    && d.Status == DeliveryStatuses.Pending)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(d => d.Status, DeliveryStatuses.Withdrawn)
                    .SetProperty(d => d.LastError, "delegation revoked"), ct);
        }
    }
}

/// <summary>
/// Tells the account's owner about a sign-in from a new device and about a lockout, at any hour (category security:
/// quiet hours do not hold them). Password and contact changes identity already tells on the old contacts itself.
/// </summary>
public sealed class SecurityEventRecordedConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<SecurityEventRecorded, NotificationsDb>(db)
{
    public const string SecurityLink = "/api/v1/audit/security-events";

    protected override async Task HandleAsync(ConsumeContext<SecurityEventRecorded> context, CancellationToken ct)
    {
        var message = context.Message;
        if (message.SubjectId is not { } personId || Text(message) is not { } text)
        {
            return;
        }

        await Db.AddOnceAsync(personId, NotificationCategories.Security, text, SecurityLink,
            NotificationTexts.SourceIdOf("security", message.EventId.ToString()), time.GetUtcNow(), ct);
    }

    /// <summary>What the person is told about the event, or null for events that need no message.</summary>
    public static NotificationText? Text(SecurityEventRecorded message) => message.Kind switch
    {
        SecurityEventKinds.SignInSucceeded when IsNewDevice(message) =>
            NotificationTexts.SignInFromNewDevice(message.OccurredAt, message.UserAgent, message.IpAddress),
        SecurityEventKinds.LockedOut => NotificationTexts.LockedOut(message.OccurredAt, LockedUntil(message)),
        _ => null,
    };

    private static bool IsNewDevice(SecurityEventRecorded message) =>
        message.Details.TryGetValue(IdentityConsumers.NewDeviceDetail, out var value)
        && bool.TryParse(value, out var isNew) && isNew;

    private static DateTimeOffset? LockedUntil(SecurityEventRecorded message) =>
        message.Details.TryGetValue(IdentityConsumers.LockedUntilDetail, out var value)
        && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var until)
            ? until
            : null;
}
