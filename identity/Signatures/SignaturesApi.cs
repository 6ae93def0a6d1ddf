using System.Security.Claims;
using Gosuslugi.Health.Identity.Api;
using Gosuslugi.Health.Identity.SignIn;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Signatures;

/// <summary>
/// Checking electronic signatures: <c>POST /api/v1/signatures/verify</c> for medical organizations' systems, and the
/// sign-in by certificate at the authorization endpoint (a one-time challenge, then its signature in place of the
/// password and second factor).
/// </summary>
public static class SignaturesApi
{
    public const string VerifyPath = "/api/v1/signatures/verify";
    public const string ChallengePath = "/connect/authorize/certificate/challenge";
    public const string SignInPath = "/connect/authorize/certificate";
    public const string ChallengeIdField = "challengeId";
    public const string SignatureField = "signature";


    /// <param name="Payload">The signed data, base64.</param>
    /// <param name="Signature">The detached CMS/PKCS#7 signature (SignedCms) with the signer's certificate, base64.</param>
    public sealed record VerifySignatureRequest(string? Payload, string? Signature) : IJsonRequest<VerifySignatureRequest>;

    /// <param name="SigningTime">The signing time the signer's software wrote into the signature, when it did (not a timestamp).</param>
    public sealed record VerifiedSignature(bool Valid, SignerView Signer, DateTimeOffset? SigningTime);

    /// <param name="Payload">The bytes to sign, base64: a detached CMS signature of exactly these is sent back.</param>
    public sealed record ChallengeView(Guid ChallengeId, string Payload, DateTimeOffset ExpiresAt);

    public static IEndpointRouteBuilder MapSignaturesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(VerifyPath, VerifyAsync)
            .RequireAuthorization(Policies.MedicalOrganization)
            .DisableAntiforgery()
            .WithTags("Signatures");

        var connect = app.MapGroup("/connect/authorize/certificate").AllowAnonymous().ExcludeFromDescription();
        connect.MapPost("/challenge", ChallengeAsync).DisableAntiforgery();
        // The form's antiforgery token is checked in the handler, after the OAuth parameters, like the other steps.
        connect.MapPost("/", SignInAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Ok<VerifiedSignature>, ValidationProblem, ProblemHttpResult>> VerifyAsync(
        Json<VerifySignatureRequest> body, ClaimsPrincipal principal, SignatureChecks checks, IOptions<SignatureOptions> options,
        HttpContext http, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        var request = body.Value;
        var errors = new Dictionary<string, string[]>();
        var payload = Base64(request.Payload);
        var signature = Base64(request.Signature);
        if (payload is null) errors["payload"] = ["Передайте подписанные данные в кодировке base64."];
        else if (payload.Length > options.Value.MaxPayloadBytes) errors["payload"] = [$"Данные больше {options.Value.MaxPayloadBytes / 1024 / 1024} МБ."];
        if (signature is null || signature.Length == 0) errors["signature"] = ["Передайте отсоединённую подпись CMS (PKCS#7) в кодировке base64."];
        if (errors.Count > 0) return Problems.Validation(errors);

        var check = await checks.VerifyForServiceAsync(payload!, signature!, principal.FindFirst(HealthClaims.ClientId)?.Value, ct);
        return check.Succeeded
            ? TypedResults.Ok(new VerifiedSignature(true, SignatureChecks.Signer(check), check.SigningTime))
            : SignatureProblems.Refused(check);
    }

    private static async Task<Results<Ok<ChallengeView>, RazorComponentResult>> ChallengeAsync(
        HttpContext context, SignatureChecks checks, AddressThrottle throttle, CancellationToken ct)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (await throttle.ThrottledForAsync(context, ct) is { } retryAfter) return SignInPages.Throttled(context, retryAfter);
        var challenge = await checks.NewChallengeAsync(ct);
        return TypedResults.Ok(new ChallengeView(challenge.Id, Convert.ToBase64String(challenge.Payload), challenge.ExpiresAt));
    }

    /// <summary>
    /// The sign-in form's certificate step: the authorization request in hidden fields (as the password step has it),
    /// the challenge id and the signature. On success the same session, cookie and code as after a second factor.
    /// </summary>
    private static async Task<Results<RazorComponentResult, SignInHttpResult, RedirectHttpResult>> SignInAsync(
        HttpContext context, [AsParameters] SignInServices s, SignatureChecks checks, CancellationToken ct)
    {
        var (form, request, invalid) = await SignInSteps.ReadFormAsync(context, s, ct);
        if (invalid is not null) return invalid;
        RazorComponentResult Again(string error, int status = StatusCodes.Status200OK) =>
            SignInPages.Login(context, request!, s.Antiforgery.GetAndStoreTokens(context), error, statusCode: status);

        if (!await s.Antiforgery.IsRequestValidAsync(context))
            return Again("Страница входа устарела. Начните вход заново.", StatusCodes.Status400BadRequest);
        if (await s.Throttle.ThrottledForAsync(context, ct) is { } retryAfter) return SignInPages.Throttled(context, retryAfter);
        if (!Guid.TryParse(form[ChallengeIdField], out var challengeId)) return Again(SignatureProblems.ChallengeExpiredDetail);

        var result = await checks.SignInAsync(challengeId, form[SignatureField], request!.Client.ClientId, ct);
        if (result.User is not { } user)
        {
            await s.Throttle.RecordFailureAsync(context, ct);
            return Again(result.RussianError);
        }
        if (s.Lockout.LockedUntil(user) is { } lockedUntil) return Again(SignInSteps.LockedOutError(lockedUntil, s.Time.GetUtcNow()));
        return await s.Completion.CompleteAsync(context, request, user, SignatureChecks.AuthenticationMethods, "certificate", rememberDevice: false, ct);
    }

    private static byte[]? Base64(string? value)
    {
        if (value is null) return null;
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
