using System.Security.Claims;
using Gosuslugi.Health.Identity.Accounts;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Signatures;

/// <summary>
/// Certificates of the electronic signature: a person links theirs to their account (<c>/api/v1/account/certificates</c>),
/// operators issue and revoke certificates of the local test CA and see an account's certificates without the
/// person's data (<c>/api/v1/admin/...</c>).
/// </summary>
public static class CertificatesApi
{
    public const string AccountPath = "/api/v1/account/certificates";
    public const string AdminPath = "/api/v1/admin";
    public const int MaxReasonLength = 500;

    public sealed record AccountCertificateServices(UserManager<HealthUser> Users, AccountCertificates Certificates, TimeProvider Time);

    public sealed record CertificateList(IReadOnlyList<LinkedCertificateView> Items);
    public sealed record IssuedCertificateList(IReadOnlyList<IssuedCertificateView> Items);
    public sealed record AdminCertificateList(IReadOnlyList<AdminCertificateView> Items);

    /// <param name="Certificate">The certificate, PEM or base64 DER.</param>
    public sealed record LinkCertificateRequest(string? Certificate) : IJsonRequest<LinkCertificateRequest>;

    /// <param name="Csr">A PKCS#10 request, PEM or base64 DER: its signature proves the key's possession. Or:</param>
    /// <param name="PublicKey">A SubjectPublicKeyInfo, PEM or base64 DER (development: a key made by a test tool).</param>
    public sealed record IssueCertificateRequest(Guid? AccountId, string? Csr, string? PublicKey) : IJsonRequest<IssueCertificateRequest>;

    /// <summary>What an operator gets back: identifiers and dates; the person downloads the certificate themselves.</summary>
    public sealed record IssuedCertificateSummary(Guid Id, Guid AccountId, string SerialNumber, string Thumbprint, DateTimeOffset NotBefore, DateTimeOffset NotAfter);

    public sealed record RevokeCertificateRequest(string? Reason) : IJsonRequest<RevokeCertificateRequest>;

    public static IEndpointRouteBuilder MapCertificatesApi(this IEndpointRouteBuilder app)
    {
        // Bearer tokens only, as the rest of the account API: the sign-in cookie never reaches this path.
        var account = app.MapGroup(AccountPath)
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser())
            .DisableAntiforgery()
            .WithTags("Signatures");
        account.MapGet("/", ListAsync);
        account.MapGet("/issued", IssuedAsync);
        account.MapGet("/{id:guid}", GetAsync);
        account.MapPost("/", LinkAsync);
        account.MapDelete("/{id:guid}", UnlinkAsync);

        var admin = app.MapGroup(AdminPath).RequireAuthorization(Policies.Admin).DisableAntiforgery().WithTags("Admin");
        admin.AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            // A token that acts for someone else is never an operator's, whatever roles it carries.
            return context.HttpContext.User.IsActingForSomeoneElse()
                ? DelegationsOwnOnly()
                : await next(context);
        });
        admin.MapPost("/certificates", IssueAsync);
        admin.MapPost("/certificates/{id:guid}/revocation", RevokeAsync);
        admin.MapGet("/accounts/{id:guid}/certificates", AdminListAsync);
        return app;
    }

    private static ProblemHttpResult DelegationsOwnOnly() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Действия оператора выполняются только от его собственного имени.");

    private static async Task<Results<Ok<CertificateList>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal principal, [AsParameters] AccountCertificateServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        return TypedResults.Ok(new CertificateList(await s.Certificates.ListAsync(user, ct)));
    }

    private static async Task<Results<Ok<IssuedCertificateList>, ProblemHttpResult>> IssuedAsync(
        ClaimsPrincipal principal, [AsParameters] AccountCertificateServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        return TypedResults.Ok(new IssuedCertificateList(await s.Certificates.IssuedAsync(user, ct)));
    }

    private static async Task<Results<Ok<LinkedCertificateView>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal principal, [AsParameters] AccountCertificateServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        // Someone else's certificate is answered exactly like one that does not exist.
        return await s.Certificates.FindAsync(user, id, ct) is { } certificate ? TypedResults.Ok(certificate) : SignatureProblems.NotFound();
    }

    private static async Task<Results<Created<LinkedCertificateView>, ValidationProblem, ProblemHttpResult>> LinkAsync(
        Json<LinkCertificateRequest> body, ClaimsPrincipal principal, [AsParameters] AccountCertificateServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        // A linked certificate signs the person in: adding one needs a fresh sign-in with a second factor, as a passkey does.
        if (!FreshSignIn.IsFresh(principal, s.Time)) return FreshSignIn.Required();

        var result = await s.Certificates.LinkAsync(user, body.Value.Certificate, ct);
        return result.Outcome switch
        {
            LinkOutcome.Linked => TypedResults.Created($"{AccountPath}/{result.Certificate!.Id}", result.Certificate),
            LinkOutcome.Malformed => Problems.Validation("certificate", "Передайте сертификат X.509 в формате PEM или base64 (DER)."),
            LinkOutcome.Refused => SignatureProblems.Refused(new SignatureCheck(SignatureCheck.FailureOf(result.Check), null, null)),
            LinkOutcome.NoSnils => SignatureProblems.Problem(StatusCodes.Status422UnprocessableEntity, "account_without_snils", SignatureProblems.NoSnilsDetail),
            LinkOutcome.SnilsMismatch => SignatureProblems.Problem(StatusCodes.Status422UnprocessableEntity, "snils_mismatch", SignatureProblems.SnilsMismatchDetail),
            _ => SignatureProblems.Problem(StatusCodes.Status409Conflict, "already_linked", SignatureProblems.AlreadyLinkedDetail),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> UnlinkAsync(
        Guid id, ClaimsPrincipal principal, [AsParameters] AccountCertificateServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        if (!FreshSignIn.IsFresh(principal, s.Time)) return FreshSignIn.Required();
        return await s.Certificates.UnlinkAsync(user, id, ct) ? TypedResults.NoContent() : SignatureProblems.NotFound();
    }

    private static async Task<Results<Created<IssuedCertificateSummary>, ValidationProblem, ProblemHttpResult>> IssueAsync(
        Json<IssueCertificateRequest> body, ClaimsPrincipal principal, LocalCertificateAuthority ca, CancellationToken ct)
    {
        var request = body.Value;
        var errors = new Dictionary<string, string[]>();
        if (request.AccountId is null) errors["accountId"] = ["Укажите учётную запись, для которой выпускается сертификат."];
        if ((request.Csr is null) == (request.PublicKey is null))
            errors["csr"] = ["Передайте либо запрос на сертификат PKCS#10 (csr), либо открытый ключ (publicKey)."];
        var publicKey = errors.Count == 0 ? CertificateFormats.PublicKeyOf(request.Csr, request.PublicKey) : null;
        if (errors.Count == 0 && publicKey is null)
            errors[request.Csr is not null ? "csr" : "publicKey"] = ["Не удалось прочитать запрос или ключ, либо подпись запроса неверна."];
        if (errors.Count > 0) return Problems.Validation(errors);

        var result = await ca.IssueAsync(request.AccountId!.Value, publicKey!, principal.GetSubjectId(), null, null, ct);
        return result.Outcome switch
        {
            IssueOutcome.Issued => TypedResults.Created($"{AdminPath}/accounts/{request.AccountId}/certificates", Summary(result.Certificate!)),
            IssueOutcome.AccountNotFound => SignatureProblems.Problem(StatusCodes.Status404NotFound, "not_found", "Учётная запись не найдена."),
            IssueOutcome.NoSnils => SignatureProblems.Problem(StatusCodes.Status422UnprocessableEntity, "account_without_snils",
                "В учётной записи нет СНИЛС: сертификат квалифицированной подписи выдаётся только на СНИЛС."),
            IssueOutcome.BadKey => Problems.Validation(request.Csr is not null ? "csr" : "publicKey", "Нужен ключ RSA длиной не менее 2048 бит."),
            _ => SignatureProblems.Problem(StatusCodes.Status404NotFound, "local_ca_disabled", SignatureProblems.LocalCaDisabledDetail),
        };
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RevokeAsync(
        Guid id, Json<RevokeCertificateRequest>? body, ClaimsPrincipal principal, LocalCertificateAuthority ca, CancellationToken ct)
    {
        var reason = body?.Value.Reason?.Trim();
        if (reason is { Length: > MaxReasonLength }) return Problems.Validation("reason", $"Причина не длиннее {MaxReasonLength} символов.");
        return await ca.RevokeAsync(id, reason, principal.GetSubjectId(), ct) switch
        {
            RevokeOutcome.Revoked => TypedResults.NoContent(),
            RevokeOutcome.AlreadyRevoked => SignatureProblems.Problem(StatusCodes.Status409Conflict, "already_revoked", "Сертификат уже отозван."),
            RevokeOutcome.NotFound => SignatureProblems.NotFound(),
            _ => SignatureProblems.Problem(StatusCodes.Status404NotFound, "local_ca_disabled", SignatureProblems.LocalCaDisabledDetail),
        };
    }

    private static async Task<Results<Ok<AdminCertificateList>, ProblemHttpResult>> AdminListAsync(
        Guid id, AccountCertificates certificates, CancellationToken ct) =>
        await certificates.ForAdminAsync(id, ct) is { } items
            ? TypedResults.Ok(new AdminCertificateList(items))
            : SignatureProblems.Problem(StatusCodes.Status404NotFound, "not_found", "Учётная запись не найдена.");

    private static IssuedCertificateSummary Summary(IssuedCertificate c) =>
        new(c.Id, c.AccountId, c.SerialNumber, c.Thumbprint, c.NotBefore, c.NotAfter);
}
