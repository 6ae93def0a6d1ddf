using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>
/// Feeds ServiceDefaults' JWT bearer validation in identity itself with the signing keys from its own
/// database, where every other service fetches them from identity's JWKS over HTTP.
/// </summary>
public sealed class LocalSigningKeysConfiguration(SigningKeyStore keys, TokenServiceOptions options)
    : IConfigurationManager<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var keySet = await keys.GetKeysAsync(cancel);
        var configuration = new OpenIdConnectConfiguration { Issuer = options.Issuer };
        foreach (var key in keySet.ValidationKeys) configuration.SigningKeys.Add(key);
        return configuration;
    }

    /// <summary>A token with an unknown kid: another instance may have rotated the key.</summary>
    public void RequestRefresh() => keys.RequestRefresh();
}
