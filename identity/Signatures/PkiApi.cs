using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Identity.Signatures;

/// <summary>
/// The local test CA's certificate and CRL, public and unauthenticated like any CA's (RFC 5280 distribution points
/// name <c>/pki/ca.crl</c>). Both are 404 when the local CA is off (production uses an accredited CA's).
/// </summary>
public static class PkiApi
{
    public const string CertificateMediaType = "application/pkix-cert";
    public const string CrlMediaType = "application/pkix-crl";

    public static RouteGroupBuilder MapPkiApi(this IEndpointRouteBuilder app)
    {
        var pki = app.MapGroup("/pki").AllowAnonymous().WithTags("Signatures");
        pki.MapGet("/ca.crt", CertificateAsync);
        pki.MapGet("/ca.crl", CrlAsync);
        return pki;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> CertificateAsync(LocalCertificateAuthority ca, CancellationToken ct)
    {
        if (!ca.Enabled) return SignatureProblems.Problem(StatusCodes.Status404NotFound, "local_ca_disabled", SignatureProblems.LocalCaDisabledDetail);
        var authority = await ca.EnsureAsync(ct);
        return TypedResults.File(authority.Certificate.RawData, CertificateMediaType, "ca.crt");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> CrlAsync(LocalCertificateAuthority ca, HttpContext http, CancellationToken ct)
    {
        if (!ca.Enabled) return SignatureProblems.Problem(StatusCodes.Status404NotFound, "local_ca_disabled", SignatureProblems.LocalCaDisabledDetail);
        // Clients and proxies must not keep a CRL beyond its own nextUpdate; a revocation should show at once.
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.File(await ca.CurrentCrlAsync(ct), CrlMediaType, "ca.crl");
    }
}
