using System.Security.Claims;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Sessions;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Accounts;

/// <summary>
/// Giving and withdrawing consent to the processing of personal data. Each change is published (services stop showing
/// and accepting medical data without it) and recorded for the audit; a withdrawal also ends every session of the
/// person, so that tokens saying <c>pd_consent: true</c> stop at once rather than when they expire.
/// </summary>
public sealed class PersonalDataConsents(
    IdentityDb db,
    AccountClaims claims,
    SecurityEvents securityEvents,
    SessionStore sessions,
    TokenDenyList denyList,
    AccountNotices notices,
    IHttpContextAccessor http,
    TimeProvider time,
    ILogger<PersonalDataConsents> logger)
{
    public const string WithdrawnSessionEndReason = SessionEndReasons.ConsentWithdrawn;

    /// <summary>
    /// Adds a consent row for <paramref name="version"/> with the event and the audit record, without saving: the caller
    /// saves it with the account (registration) or alone (<see cref="GiveAsync"/>).
    /// </summary>
    /// <param name="ipAddress">Where the consent was given from; the current request's address when null.</param>
    public PersonalDataConsent Add(Guid userId, string version, DateTimeOffset now, string? ipAddress = null)
    {
        var consent = new PersonalDataConsent
        {
            UserId = userId,
            Version = version,
            GivenAt = now,
            IpAddress = ipAddress ?? http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
        };
        db.PersonalDataConsents.Add(consent);
        db.AddOutboxEvent(new PersonalDataConsentChanged(userId, true, version, now));
        securityEvents.Add(SecurityEventKinds.ConsentGiven, userId, details: new Dictionary<string, string> { ["version"] = version });
        return consent;
    }

    /// <summary>Gives consent to the current edition; a consent already in force for it is left as it is.</summary>
    public async Task<PersonalDataConsent> GiveAsync(Guid userId, CancellationToken ct)
    {
        var inForce = await claims.ConsentInForceAsync(userId, ct);
        if (inForce?.Version == PersonalDataConsentText.CurrentVersion) return inForce;
        var consent = Add(userId, PersonalDataConsentText.CurrentVersion, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Account {UserId} gave consent to personal data processing, version {Version}", userId, consent.Version);
        return consent;
    }

    /// <summary>Withdraws every consent in force; false when none was. Ends all the person's sessions and the calling token.</summary>
    public async Task<bool> WithdrawAsync(HealthUser user, ClaimsPrincipal caller, CancellationToken ct)
    {
        var inForce = await db.PersonalDataConsents.Where(c => c.UserId == user.Id && c.WithdrawnAt == null)
            .OrderByDescending(c => c.GivenAt).ToListAsync(ct);
        if (inForce.Count == 0) return false;

        var now = time.GetUtcNow();
        foreach (var consent in inForce) consent.WithdrawnAt = now;
        db.AddOutboxEvent(new PersonalDataConsentChanged(user.Id, false, inForce[0].Version, now));
        securityEvents.Add(SecurityEventKinds.ConsentWithdrawn, user.Id, details: new Dictionary<string, string> { ["version"] = inForce[0].Version });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Account {UserId} withdrew consent to personal data processing", user.Id);

        // After the commit: were ending the sessions to fail, the withdrawal stands and new tokens already say so.
        await sessions.EndAllAsync(user.Id, WithdrawnSessionEndReason, null, ct);
        // A token issued outside any session (no sid) is stopped by its own jti.
        if (caller.FindFirst(HealthClaims.TokenId)?.Value is { Length: > 0 } jti
            && long.TryParse(caller.FindFirst("exp")?.Value, out var exp))
        {
            await denyList.DenyTokenAsync(jti, DateTimeOffset.FromUnixTimeSeconds(exp), ct);
        }

        if (user is { PhoneNumber: { } phone, PhoneNumberConfirmed: true })
            await notices.SendAsync(ContactChannel.Sms, phone, AccountNotices.ConsentWithdrawn, ct);
        else if (user is { Email: { } email, EmailConfirmed: true })
            await notices.SendAsync(ContactChannel.Email, email, AccountNotices.ConsentWithdrawn, ct);
        return true;
    }
}
