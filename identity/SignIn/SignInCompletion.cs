using System.Security.Claims;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Sessions;
using Gosuslugi.Health.Identity.Tokens;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Server.AspNetCore;

namespace Gosuslugi.Health.Identity.SignIn;

/// <summary>
/// The end of a successful sign-in: the failure count starts over, the device is remembered when asked, a session
/// begins (its <c>sid</c> and <c>amr</c> go into the sign-in cookie, and through the session into every token), and
/// OpenIddict sends the client its code.
/// </summary>
public sealed class SignInCompletion(
    AccountLockout lockout,
    RememberedDevices devices,
    SessionStore sessions,
    SignInManager<HealthUser> signIn,
    TokenPrincipals principals,
    PendingSignIns pending,
    SecurityEvents events,
    TimeProvider time,
    ILogger<SignInCompletion> logger)
{
    /// <summary>The detail of <see cref="SecurityEventKinds.SignInSucceeded"/> ("true") when the device is new to the account.</summary>
    public const string NewDeviceDetail = "newDevice";

    /// <param name="how">What proved the second factor for the audit: totp, sms, email, passkey or remembered_device.</param>
    public async Task<SignInHttpResult> CompleteAsync(HttpContext context, AuthorizationRequest request, HealthUser user,
        IReadOnlyList<string> amr, string how, bool rememberDevice, CancellationToken ct)
    {
        var clientId = request.Client.ClientId;
        await lockout.ResetAsync(user, ct);
        // Asked before this sign-in leaves its own traces (a remembered device, a session).
        var newDevice = await IsNewDeviceAsync(context, user, how, ct);
        if (rememberDevice) await devices.RememberAsync(context, user, clientId, ct);

        var details = new Dictionary<string, string>
        {
            ["amr"] = string.Join(' ', amr),
            ["factor"] = how,
        };
        // Notifications tells the person about a sign-in from a device they have not used, where a thief's sign-in shows.
        if (newDevice)
        {
            details[NewDeviceDetail] = "true";
            details["device"] = Sessions.DeviceNames.Describe(context.Request.Headers.UserAgent.ToString());
        }
        events.Add(SecurityEventKinds.SignInSucceeded, user.Id, SecurityEvents.Success, details, clientId: clientId);
        // Saves the event with the session.
        var session = await sessions.StartAsync(user, clientId, amr, ct);

        await signIn.SignInWithClaimsAsync(user, isPersistent: false,
            [new Claim(HealthClaims.SessionId, session.Id.ToString()), .. amr.Select(m => new Claim(HealthClaims.AuthenticationMethods, m))]);
        pending.Clear(context);
        logger.LogInformation("User {UserId} signed in for client {ClientId} ({Methods})", user.Id, clientId, string.Join(' ', amr));

        return Authorize(request, user, session, time.GetUtcNow());
    }

    /// <summary>
    /// Hands the person to OpenIddict, which stores this principal in a single-use code and redirects to the client.
    /// The code says only who signed in, when, how and in which session: the token endpoint reads the rest fresh.
    /// </summary>
    public SignInHttpResult Authorize(AuthorizationRequest request, HealthUser user, UserSession session, DateTimeOffset authTime) =>
        TypedResults.SignIn(principals.Create(new AccessTokenRequest(
                Subject: user.Id.ToString(),
                Scopes: request.Scopes,
                Roles: [],
                AuthTime: authTime,
                SessionId: session.Id,
                AuthenticationMethods: session.AuthenticationMethods.Split(' ', StringSplitOptions.RemoveEmptyEntries))),
            authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    /// <summary>
    /// New: the browser proves no remembered device of this account, and no earlier sign-in of the account came from the
    /// same browser (User-Agent) and address. The most honest signal there is without fingerprinting the browser; a
    /// new address alone (the same laptop in a café) also counts as new, which errs on the side of telling the person.
    /// </summary>
    private async Task<bool> IsNewDeviceAsync(HttpContext context, HealthUser user, string how, CancellationToken ct)
    {
        if (how == RememberedDeviceFactor) return false;
        if (await devices.WasRememberedAsync(context, user.Id, ct)) return false;
        return !await sessions.SignedInFromHereBeforeAsync(user.Id, ct);
    }

    private const string RememberedDeviceFactor = "remembered_device";
}
