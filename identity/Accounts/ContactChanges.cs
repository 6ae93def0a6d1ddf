using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Accounts;

public sealed record ContactChangeStarted(DateTimeOffset ExpiresAt);

public enum ContactChangeOutcome { Started, Changed, Invalid, Throttled, NotFound, ContactTaken }

public sealed record ContactChangeResult(
    ContactChangeOutcome Outcome,
    ContactChangeStarted? Started = null,
    IDictionary<string, string[]>? Errors = null,
    TimeSpan RetryAfter = default);

/// <summary>
/// Changing the phone number or e-mail address: a code goes to the new contact, and only its owner can finish. The old
/// contact is told afterwards, so that a person whose account was taken over learns it where the thief cannot hide it.
/// A contact of another account is never revealed: that owner gets a notice instead of a code, and the change cannot finish.
/// </summary>
public sealed class ContactChanges(
    IdentityDb db,
    UserManager<HealthUser> users,
    AccountDirectory directory,
    OneTimeCodes codes,
    AccountNotices notices,
    PendingFlows flows,
    SecurityEvents securityEvents,
    TimeProvider time,
    ILogger<ContactChanges> logger)
{
    /// <summary>Long enough to ask for a second code, short enough that a forgotten change expires.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private sealed record PendingChange(Guid FlowId, string Value, bool Taken, DateTimeOffset ExpiresAt);

    private static string Key(Guid userId, ContactChannel channel) =>
        $"account:contact-change:{userId:D}:{ContactMessenger.ChannelName(channel)}";

    public static string FieldOf(ContactChannel channel) => channel == ContactChannel.Sms ? "phone" : "email";

    public async Task<ContactChangeResult> StartAsync(HealthUser user, ContactChannel channel, string? input, CancellationToken ct)
    {
        var field = FieldOf(channel);
        string? value;
        if (channel == ContactChannel.Sms)
        {
            if (!PhoneNumbers.TryNormalize(input, out value))
                return Invalid(field, "Укажите российский номер мобильного телефона, например +7 912 345-67-89.");
            if (value == user.PhoneNumber && user.PhoneNumberConfirmed)
                return Invalid(field, "Этот номер уже указан в вашей учётной записи.");
        }
        else
        {
            if (!EmailAddresses.TryNormalize(input, out value))
                return Invalid(field, "Укажите адрес электронной почты, например ivanova@mail.ru.");
            if (string.Equals(value, user.Email, StringComparison.OrdinalIgnoreCase) && user.EmailConfirmed)
                return Invalid(field, "Этот адрес уже указан в вашей учётной записи.");
        }

        var taken = channel == ContactChannel.Sms
            ? await directory.PhoneTakenAsync(value, user.Id, ct)
            : await directory.EmailTakenAsync(value, user.Id, ct);
        var pending = new PendingChange(Guid.CreateVersion7(), value, taken, time.GetUtcNow() + Lifetime);

        bool throttled;
        TimeSpan retryAfter;
        if (taken)
        {
            var notice = await notices.SendThrottledAsync(channel, value, AccountNotices.ClaimedByAnotherAccount(channel), ct);
            (throttled, retryAfter) = (notice.Result == NoticeResult.Throttled, notice.RetryAfter);
        }
        else
        {
            var sent = await codes.SendAsync(OneTimeCodePurpose.ContactChange, pending.FlowId, user.Id, channel, value, ct);
            (throttled, retryAfter) = (sent.Throttled, sent.RetryAfter);
        }
        if (throttled) return new ContactChangeResult(ContactChangeOutcome.Throttled, RetryAfter: retryAfter);

        // A new request replaces an unfinished one: only the latest code can finish the change.
        await flows.SaveAsync(Key(user.Id, channel), pending, pending.ExpiresAt, ct);
        logger.LogInformation("Account {UserId} started a {Channel} change", user.Id, channel);
        return new ContactChangeResult(ContactChangeOutcome.Started, new ContactChangeStarted(pending.ExpiresAt));
    }

    public async Task<ContactChangeResult> ConfirmAsync(HealthUser user, ContactChannel channel, string? code, CancellationToken ct)
    {
        if (await flows.GetAsync<PendingChange>(Key(user.Id, channel), ct) is not { } pending)
            return new ContactChangeResult(ContactChangeOutcome.NotFound);
        if (string.IsNullOrWhiteSpace(code)) return Invalid("code", CodeMessages.Missing);

        var check = await codes.VerifyAsync(OneTimeCodePurpose.ContactChange, pending.FlowId, channel, code.Trim(), ct);
        if (check != CodeCheckResult.Valid || pending.Taken)
        {
            await securityEvents.PublishAsync(SecurityEventKinds.ContactChanged, user.Id, SecurityEvents.Failure,
                new Dictionary<string, string> { ["channel"] = ContactMessenger.ChannelName(channel), ["reason"] = "code_" + check.ToString().ToLowerInvariant() }, ct: ct);
            return Invalid("code", CodeMessages.Of(pending.Taken ? CodeCheckResult.Invalid : check));
        }
        if (await flows.TakeAsync<PendingChange>(Key(user.Id, channel), ct) is null)
            return new ContactChangeResult(ContactChangeOutcome.NotFound);

        string? oldValue;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await directory.LockContactsAsync([pending.Value], ct);
            var takenNow = channel == ContactChannel.Sms
                ? await directory.PhoneTakenAsync(pending.Value, user.Id, ct)
                : await directory.EmailTakenAsync(pending.Value, user.Id, ct);
            if (takenNow) return new ContactChangeResult(ContactChangeOutcome.ContactTaken);

            if (channel == ContactChannel.Sms)
            {
                oldValue = user.PhoneNumberConfirmed ? user.PhoneNumber : null;
                // An account whose login is its phone number keeps signing in with the number it now has.
                if (user.PhoneNumber is not null && user.NormalizedUserName == users.NormalizeName(user.PhoneNumber))
                    user.UserName = pending.Value;
                user.PhoneNumber = pending.Value;
                user.PhoneNumberConfirmed = true;
            }
            else
            {
                oldValue = user.EmailConfirmed ? user.Email : null;
                user.Email = pending.Value;
                user.EmailConfirmed = true;
            }
            user.SecurityStamp = Guid.NewGuid().ToString("N");
            // Saved by UpdateAsync with the contact itself: Notifications writes to the new one from now on.
            db.AddContactDetailsChanged(user, time.GetUtcNow());
            securityEvents.Add(SecurityEventKinds.ContactChanged, user.Id,
                details: new Dictionary<string, string> { ["channel"] = ContactMessenger.ChannelName(channel) });
            var updated = await users.UpdateAsync(user);
            if (!updated.Succeeded)
                throw new InvalidOperationException("Could not save the changed contact: " + string.Join("; ", updated.Errors.Select(e => e.Code)));
            await tx.CommitAsync(ct);
        }
        logger.LogInformation("Account {UserId} changed its {Channel}", user.Id, channel);

        if (oldValue is not null && oldValue != pending.Value)
            await notices.SendAsync(channel, oldValue, AccountNotices.ContactChanged(channel, AccountNotices.Mask(channel, pending.Value)), ct);
        return new ContactChangeResult(ContactChangeOutcome.Changed);
    }

    private static ContactChangeResult Invalid(string field, string message) =>
        new(ContactChangeOutcome.Invalid, Errors: new Dictionary<string, string[]> { [field] = [message] });
}
