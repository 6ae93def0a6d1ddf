using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>
/// OpenIddict keeps its issuer as a <see cref="Uri"/>, which writes a bare host with a trailing slash
/// ("http://gateway:8080/"); every service and client of this system compares <c>iss</c> with the configured issuer
/// exactly ("http://gateway:8080"). So tokens, the discovery document and the authorization response (RFC 9207) say the
/// configured issuer, and OpenIddict accepts both spellings when it reads its own tokens.
/// </summary>
public static class ConfiguredIssuer
{
    public static IEnumerable<OpenIddictServerHandlerDescriptor> Handlers { get; } =
    [
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<InTokens>()
            .SetOrder(Protection.AttachTokenMetadata.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<WhenValidating>()
            .SetOrder(Protection.ResolveTokenValidationParameters.Descriptor.Order + 2)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<InDiscovery>()
            .SetOrder(int.MaxValue - 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyAuthorizationResponseContext>()
            .UseSingletonHandler<InAuthorizationResponses>()
            .SetOrder(Authentication.AttachIssuer.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
    ];

    private sealed class InTokens(IOptions<TokenServiceOptions> options) : IOpenIddictServerHandler<GenerateTokenContext>
    {
        public ValueTask HandleAsync(GenerateTokenContext context)
        {
            var descriptor = context.SecurityTokenDescriptor;
            if (descriptor.Issuer is not null) descriptor.Issuer = options.Value.Issuer;
            // nbf as before OpenIddict: validators that require it keep working.
            if (context.TokenType is TokenTypeIdentifiers.AccessToken or TokenTypeIdentifiers.IdentityToken) descriptor.NotBefore ??= descriptor.IssuedAt;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class WhenValidating(IOptions<TokenServiceOptions> options) : IOpenIddictServerHandler<ValidateTokenContext>
    {
        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            if (context.TokenValidationParameters is { } parameters)
            {
                var issuer = options.Value.IssuerUrl;
                parameters.ValidIssuers = [issuer, issuer + "/"];
            }
            return ValueTask.CompletedTask;
        }
    }

    private sealed class InDiscovery(IOptions<TokenServiceOptions> options) : IOpenIddictServerHandler<HandleConfigurationRequestContext>
    {
        public ValueTask HandleAsync(HandleConfigurationRequestContext context)
        {
            context.Metadata[Metadata.Issuer] = options.Value.Issuer;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class InAuthorizationResponses(IOptions<TokenServiceOptions> options) : IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
    {
        public ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
        {
            if (context.Response.Iss is not null) context.Response.Iss = options.Value.Issuer;
            return ValueTask.CompletedTask;
        }
    }
}
