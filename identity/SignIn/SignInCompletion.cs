using System.Security.Claims;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Api;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Sessions;
using Gosuslugi.Health.Identity.Tokens;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.SignIn;

/// <summary>
/// The end of a successful sign-in: the failure count starts over, the device is remembered when asked, a session
/// begins (its <c>sid</c> and <c>amr</c> go into the sign-in cookie, and through the session into every token), and the
/// client gets its code.
/// </summary>
public sealed class SignInCompletion(
    AccountLockout lockout,
    RememberedDevices devices,
    SessionStore sessions,
    SignInManager<HealthUser> signIn,
    AuthorizationRequests requests,
    PendingSignIns pending,
    SecurityEvents events,
    TimeProvider time,
    ILogger<SignInCompletion> logger)
{
    /// <param name="how">What proved the second factor for the audit: totp, sms, email, passkey or remembered_device.</param>
    public async Task<SeeOtherHttpResult> CompleteAsync(HttpContext context, AuthorizationRequest request, HealthUser user,
        IReadOnlyList<string> amr, string how, bool rememberDevice, CancellationToken ct)
    {
        var clientId = request.Client.ClientId;
        await lockout.ResetAsync(user, ct);
        if (rememberDevice) await devices.RememberAsync(context, user, clientId, ct);

        events.Add(SecurityEventKinds.SignInSucceeded, user.Id, SecurityEvents.Success, new Dictionary<string, string>
        {
            ["amr"] = string.Join(' ', amr),
            ["factor"] = how,
        }, clientId: clientId);
        // Saves the event with the session.
        var session = await sessions.StartAsync(user, clientId, amr, ct);

        var now = time.GetUtcNow();
        await signIn.SignInWithClaimsAsync(user, isPersistent: false,
            [new Claim(HealthClaims.SessionId, session.Id.ToString()), .. amr.Select(m => new Claim(HealthClaims.AuthenticationMethods, m))]);
        pending.Clear(context);
        logger.LogInformation("User {UserId} signed in for client {ClientId} ({Methods})", user.Id, clientId, string.Join(' ', amr));

        var code = await requests.IssueCodeAsync(request, user.Id, session.Id, now, ct);
        return new SeeOtherHttpResult(requests.RedirectWithCode(request, code));
    }
}
