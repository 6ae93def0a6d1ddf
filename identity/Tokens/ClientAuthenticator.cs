using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>
/// Client authentication at the token and revocation endpoints (RFC 6749 §2.3): confidential clients
/// by client_secret_basic or client_secret_post (a verified secret is remembered briefly: <see cref="VerifiedClientSecrets"/>),
/// public clients by their client_id alone.
/// </summary>
public sealed class ClientAuthenticator(IdentityDb db, VerifiedClientSecrets verifiedSecrets)
{
    public async Task<(OAuthClient? Client, OAuthError? Error)> AuthenticateAsync(
        HttpRequest request, OAuthParameters parameters, CancellationToken ct)
    {
        var formId = parameters["client_id"];
        var formSecret = parameters["client_secret"];
        string? clientId = formId, secret = formSecret;

        if (request.Headers.Authorization.Count > 0)
        {
            if (!TryParseBasic(request.Headers.Authorization.ToString(), out var basicId, out var basicSecret))
                return (null, OAuthError.InvalidClient("Malformed Basic authorization header."));
            // One request, one authentication method (RFC 6749 §2.3).
            if (formSecret is not null)
                return (null, OAuthError.InvalidRequest("Use either client_secret_basic or client_secret_post, not both."));
            if (formId is not null && formId != basicId)
                return (null, OAuthError.InvalidRequest("client_id differs from the authenticated client."));
            (clientId, secret) = (basicId, basicSecret);
        }

        if (clientId is null)
            return (null, OAuthError.InvalidClient("Client authentication is required."));

        var client = await db.OAuthClients.AsNoTracking().SingleOrDefaultAsync(c => c.ClientId == clientId, ct);
        if (client is null || client.Type == OAuthClientType.Confidential)
        {
            // Unknown clients cost the same hashing time as known ones.
            if (secret is null || !verifiedSecrets.Verify(clientId, secret, client?.SecretHash))
                return (null, OAuthError.InvalidClient("Client authentication failed."));
            return (client, null);
        }

        if (secret is not null)
            return (null, OAuthError.InvalidClient("A public client has no secret to present."));
        return (client, null);
    }

    private static bool TryParseBasic(string header, out string id, out string secret)
    {
        id = secret = "";
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrEmpty(value.Parameter))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':');
        if (colon <= 0) return false;
        // Both parts are form-urlencoded before being joined (RFC 6749 §2.3.1).
        id = WebUtility.UrlDecode(decoded[..colon]);
        secret = WebUtility.UrlDecode(decoded[(colon + 1)..]);
        return id.Length > 0 && secret.Length > 0;
    }
}
