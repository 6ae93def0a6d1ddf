using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>
/// OpenIddict signs, validates and publishes with the keys of <see cref="SigningKeyStore"/>: generated and used inside
/// the HSM, rotated while the server runs (OpenIddict's own credentials are fixed at start-up, and a key read from a
/// file would leave the HSM).
/// </summary>
public static class HsmSigningKeys
{
    /// <summary>Access and ID tokens are signed by the current HSM key (codes and refresh tokens are Data Protection's).</summary>
    public static OpenIddictServerHandlerDescriptor SignTokens { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
        .UseSingletonHandler<SignWithCurrentKey>()
        .SetOrder(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    /// <summary>A JWT of ours (an actor token, an ID token hint) is valid with any published key: current, next, previous.</summary>
    public static OpenIddictServerHandlerDescriptor ValidateTokens { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
        .UseSingletonHandler<ValidateWithPublishedKeys>()
        .SetOrder(OpenIddictServerHandlers.Protection.ResolveTokenValidationParameters.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    /// <summary>The JWKS: the current key, the next one (published ahead of use) and the retired ones still in their retention.</summary>
    public static OpenIddictServerHandlerDescriptor PublishKeys { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleJsonWebKeySetRequestContext>()
        .UseSingletonHandler<PublishHsmKeys>()
        .SetOrder(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor.Order)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    private sealed class SignWithCurrentKey(SigningKeyStore keys) : IOpenIddictServerHandler<GenerateTokenContext>
    {
        public async ValueTask HandleAsync(GenerateTokenContext context)
        {
            if (context.TokenType is not (TokenTypeIdentifiers.AccessToken or TokenTypeIdentifiers.IdentityToken)) return;
            context.SigningCredentials = (await keys.GetKeysAsync(context.CancellationToken)).Signing;
        }
    }

    private sealed class ValidateWithPublishedKeys(SigningKeyStore keys) : IOpenIddictServerHandler<ValidateTokenContext>
    {
        public async ValueTask HandleAsync(ValidateTokenContext context)
        {
            if (context.TokenValidationParameters is not { } parameters) return;
            var keySet = await keys.GetKeysAsync(context.CancellationToken);
            parameters.IssuerSigningKeys = keySet.ValidationKeys;
            // A kid we do not know may be a key another instance has just made: reload (at most every few seconds) and
            // try the fresh set.
            parameters.IssuerSigningKeyResolver = (_, _, kid, _) =>
            {
                if (kid is not null && keySet.ValidationKeys.All(k => k.KeyId != kid)) keys.RequestRefresh();
                return keySet.ValidationKeys;
            };
        }
    }

    private sealed class PublishHsmKeys(SigningKeyStore keys) : IOpenIddictServerHandler<HandleJsonWebKeySetRequestContext>
    {
        public async ValueTask HandleAsync(HandleJsonWebKeySetRequestContext context)
        {
            foreach (var key in (await keys.GetKeysAsync(context.CancellationToken)).Published)
            {
                context.Keys.Add(new JsonWebKey
                {
                    Kty = key.Kty,
                    Use = key.Use,
                    Alg = key.Alg,
                    Kid = key.Kid,
                    N = key.N,
                    E = key.E,
                    Crv = key.Crv,
                    X = key.X,
                    Y = key.Y,
                });
            }
        }
    }
}
