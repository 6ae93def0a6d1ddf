using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>
/// The OAuth 2.0 / OpenID Connect server: OpenIddict on identity's database. OpenIddict validates every protocol request
/// (clients, redirect URIs, PKCE, scopes, codes, refresh tokens, client secrets) and issues the tokens; identity's own
/// handlers (passthrough) decide who signs in and what their tokens say.
/// </summary>
public static class TokenServer
{
    /// <summary>The second-factor form posts to an authorization endpoint URI of its own, so OpenIddict validates it too.</summary>
    public const string AuthorizePath = "/connect/authorize";
    public const string SecondFactorPath = "/connect/authorize/second-factor";
    public const string CertificatePath = "/connect/authorize/certificate";

    public static IServiceCollection AddTokenServer(this IServiceCollection services)
    {
        services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<IdentityDb>().ReplaceDefaultEntities<Guid>();
                core.ReplaceApplicationManager<OpenIddictEntityFrameworkCoreApplication<Guid>, HealthApplicationManager>();
            })
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris(AuthorizePath[1..], SecondFactorPath[1..], CertificatePath[1..])
                    .SetTokenEndpointUris("connect/token")
                    .SetRevocationEndpointUris("connect/revocation")
                    .SetIntrospectionEndpointUris("connect/introspect")
                    .SetConfigurationEndpointUris(".well-known/openid-configuration", ".well-known/oauth-authorization-server")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks.json");

                server.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().AllowClientCredentialsFlow().AllowTokenExchangeFlow();
                server.RequireProofKeyForCodeExchange();
                server.RegisterScopes([.. Scopes.All, .. ClientRegistry.PublicClientScopes.Except(Scopes.All)]);

                // A refresh token is single-use: presenting a redeemed one again, however soon, revokes its whole chain
                // (and RefreshTokenReuse ends the session).
                server.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                // Access tokens stay signed JWTs (RFC 9068) that the gateway and services validate from the JWKS.
                server.DisableAccessTokenEncryption();

                // Codes and refresh tokens are protected by Data Protection, whose key ring lives in identity's database
                // encrypted by the HSM; access and ID tokens are JWTs signed inside the HSM (HsmSigningKeys). OpenIddict
                // insists on one encryption and one signing credential at start-up: these in-memory ones satisfy that
                // check and are never used, because every token it would protect has a format or a key of ours.
                server.UseDataProtection().PreferDefaultAccessTokenFormat();
                // The placeholder signing key is ES256 like the HSM's keys, so that discovery names that algorithm too.
                server.AddEphemeralEncryptionKey().AddEphemeralSigningKey(Microsoft.IdentityModel.Tokens.SecurityAlgorithms.EcdsaSha256);

                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableErrorPassthrough()
                    // TLS ends at the gateway; identity listens on loopback HTTP behind it.
                    .DisableTransportSecurityRequirement();

                server.AddEventHandler(HsmSigningKeys.SignTokens);
                server.AddEventHandler(HsmSigningKeys.ValidateTokens);
                server.AddEventHandler(HsmSigningKeys.PublishKeys);
                server.RemoveEventHandler(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor);
                server.AddEventHandler(AccessTokensWithoutEntries.Descriptor);
                server.AddEventHandler(RefreshTokenReuse.Descriptor);
                server.AddEventHandler(DenyListedAccessTokens.Descriptor);
                server.RemoveEventHandler(OpenIddictServerHandlers.Revocation.RevokeToken.Descriptor);
                server.AddEventHandler(RevocationOfWholeGrants.Descriptor);
                server.AddEventHandler(DiscoveryMetadata.Descriptor);
                server.AddEventHandler(TokenResponseParameters.Descriptor);
                server.AddEventHandler(NoIdentityTokenOnRefresh.Descriptor);
                server.AddEventHandler(DelegationSubjectTokens.Descriptor);
                foreach (var handler in ConfiguredIssuer.Handlers) server.AddEventHandler(handler);
                foreach (var handler in WellFormedParameters.Handlers) server.AddEventHandler(handler);
            });

        services.AddOptions<OpenIddictServerOptions>().Configure<IOptions<TokenServiceOptions>>((server, tokens) =>
        {
            var o = tokens.Value;
            server.Issuer = new Uri(o.Issuer);
            server.AccessTokenLifetime = o.AccessTokenLifetime;
            server.IdentityTokenLifetime = o.IdTokenLifetime;
            server.AuthorizationCodeLifetime = o.AuthorizationCodeLifetime;
            server.RefreshTokenLifetime = o.RefreshTokenLifetime;
            // An absent method means "plain" (RFC 7636 §4.3), which lets an intercepted code be redeemed.
            server.CodeChallengeMethods.Remove(OpenIddict.Abstractions.OpenIddictConstants.CodeChallengeMethods.Plain);
            // A delegation is named by its id (TokenExchangeGrant); the actor's own access token is the actor token.
            server.SubjectTokenTypes.Clear();
            server.SubjectTokenTypes.Add(TokenExchangeGrant.DelegationTokenType);
            server.ActorTokenTypes.Clear();
            server.ActorTokenTypes.Add(TokenExchangeGrant.AccessTokenType);
            // No client registers a key set, so private_key_jwt would be advertised for nobody.
            server.ClientAuthenticationMethods.Remove(OpenIddict.Abstractions.OpenIddictConstants.ClientAuthenticationMethods.PrivateKeyJwt);
        });
        return services;
    }
}
