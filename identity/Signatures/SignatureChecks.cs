using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Signatures;

/// <summary>Who signed, as the verification API tells a service.</summary>
public sealed record SignerView(string Name, string? Snils, string SerialNumber, string Thumbprint, string Issuer,
    DateTimeOffset NotBefore, DateTimeOffset NotAfter);

/// <summary>What a sign-in by certificate came to: the account on success, else the reason (and the check, when one ran).</summary>
public sealed record CertificateSignInResult(HealthUser? User, string Reason, string RussianError);

/// <summary>
/// The signature checks of this service, each recorded as a security event (<see cref="SecurityEventKinds.SignatureChecked"/>)
/// with its purpose, outcome, reason and the certificate's serial and thumbprint, never key material: a service's
/// verification of a signed document, and a sign-in by certificate against a one-time challenge.
/// </summary>
public sealed class SignatureChecks(
    SignatureVerifier verifier,
    SignInChallenges challenges,
    IdentityDb db,
    SecurityEvents events,
    TimeProvider time,
    ILogger<SignatureChecks> logger)
{
    /// <summary>
    /// RFC 8176 methods of a sign-in by qualified signature: a key on a certified token or smart card ("sc"), unlocked
    /// by its PIN, which is what the law asks of a qualified signature's means; it stands for both factors ("mfa").
    /// </summary>
    public static readonly IReadOnlyList<string> AuthenticationMethods = ["sc", "mfa"];

    public const string VerifyPurpose = "verify";
    public const string SignInPurpose = "signin";

    public async Task<SignatureCheck> VerifyForServiceAsync(byte[] payload, byte[] signature, string? clientId, CancellationToken ct)
    {
        var check = await verifier.VerifyAsync(payload, signature, ct);
        var linked = await LinkedAsync(check, ct);
        events.Add(SecurityEventKinds.SignatureChecked, linked?.UserId, Outcome(check), Details(VerifyPurpose, check.Reason, check), clientId: clientId);
        await db.SaveChangesAsync(ct);
        return check;
    }

    public static SignerView Signer(SignatureCheck check)
    {
        var certificate = check.Certificate ?? throw new InvalidOperationException("A verified signature has its certificate.");
        var subject = QualifiedSubject.Read(certificate.SubjectName);
        return new SignerView(subject.CommonName, subject.Snils, certificate.SerialNumber, CertificateFormats.Thumbprint(certificate),
            certificate.Issuer, certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
    }

    public Task<SignInChallenge> NewChallengeAsync(CancellationToken ct) => challenges.IssueAsync(ct);

    /// <summary>
    /// Checks a sign-in by certificate: the challenge is taken (used up, whatever follows), the detached CMS signature of
    /// it must be valid with a certificate accepted now, and the certificate must be linked to an account.
    /// </summary>
    public async Task<CertificateSignInResult> SignInAsync(Guid challengeId, string? signatureBase64, string? clientId, CancellationToken ct)
    {
        var payload = await challenges.TakeAsync(challengeId, ct);
        if (payload is null) return await RefuseSignInAsync(null, null, "challenge_expired", SignatureProblems.ChallengeExpiredDetail, clientId, ct);

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(signatureBase64 ?? "");
        }
        catch (FormatException)
        {
            return await RefuseSignInAsync(null, null, "signature_malformed", SignatureProblems.Detail(SignatureFailure.Malformed), clientId, ct);
        }

        var check = await verifier.VerifyAsync(payload, signature, ct);
        var linked = await LinkedAsync(check, ct);
        if (!check.Succeeded)
            return await RefuseSignInAsync(check, linked?.UserId, check.Reason, SignatureProblems.Detail(check.Failure), clientId, ct);
        if (linked is null || await db.Users.SingleOrDefaultAsync(u => u.Id == linked.UserId, ct) is not { } user)
            return await RefuseSignInAsync(check, null, "certificate_not_linked", SignatureProblems.NotLinkedDetail, clientId, ct);

        linked.LastUsedAt = time.GetUtcNow();
        events.Add(SecurityEventKinds.SignatureChecked, user.Id, SecurityEvents.Success, Details(SignInPurpose, check.Reason, check), clientId: clientId);
        await db.SaveChangesAsync(ct);
        return new CertificateSignInResult(user, check.Reason, "");
    }

    private async Task<CertificateSignInResult> RefuseSignInAsync(SignatureCheck? check, Guid? subjectId, string reason, string russian,
        string? clientId, CancellationToken ct)
    {
        events.Add(SecurityEventKinds.SignatureChecked, subjectId, SecurityEvents.Failure, Details(SignInPurpose, reason, check), clientId: clientId);
        events.Add(SecurityEventKinds.SignInFailed, subjectId, SecurityEvents.Failure, new Dictionary<string, string> { ["reason"] = reason, ["factor"] = "certificate" },
            clientId: clientId);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Sign-in by certificate refused: {Reason}", reason);
        return new CertificateSignInResult(null, reason, russian);
    }

    /// <summary>The live link of the signer's certificate, tracked (its last use is written on success).</summary>
    private async Task<LinkedCertificate?> LinkedAsync(SignatureCheck check, CancellationToken ct)
    {
        if (check.Certificate is not { } certificate) return null;
        var thumbprint = CertificateFormats.Thumbprint(certificate);
        return await db.Set<LinkedCertificate>().SingleOrDefaultAsync(c => c.Thumbprint == thumbprint && c.UnlinkedAt == null, ct);
    }

    private static string Outcome(SignatureCheck check) => check.Succeeded ? SecurityEvents.Success : SecurityEvents.Failure;

    private static Dictionary<string, string> Details(string purpose, string reason, SignatureCheck? check)
    {
        var details = new Dictionary<string, string> { ["purpose"] = purpose, ["reason"] = reason };
        if (check?.Certificate is { } certificate)
        {
            details["serial"] = certificate.SerialNumber;
            details["thumbprint"] = CertificateFormats.Thumbprint(certificate);
        }
        return details;
    }
}
