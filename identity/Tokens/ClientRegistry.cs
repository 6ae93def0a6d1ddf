using System.Collections.Immutable;
using System.Text.Json;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults.Auth;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>A registered client as identity's own code needs it: who it is and, for an organization's system, which organization.</summary>
/// <param name="Scopes">The scopes it may ask for.</param>
public sealed record RegisteredClient(string ClientId, string DisplayName, bool IsConfidential, IReadOnlyList<string> Scopes,
    Guid? OrganizationId, string? OrganizationName);

/// <summary>
/// The OAuth clients, registered as OpenIddict applications: the web and mobile frontends (public: code + PKCE, refresh
/// tokens, token exchange) and each medical organization's system (confidential: client credentials). The organization
/// a system acts as is kept in the application's properties.
/// </summary>
public sealed class ClientRegistry(IOpenIddictApplicationManager applications, TimeProvider time, ILogger<ClientRegistry> logger)
{
    private const string OrganizationIdProperty = "org_id";
    private const string OrganizationNameProperty = "org_name";
    public const string CreatedAtProperty = "created_at";

    /// <summary>Scopes a frontend may ask for: its own sign-in, the patient API, and acting for someone under a delegation.</summary>
    public static readonly IReadOnlyList<string> PublicClientScopes =
    [
        Domain.Scopes.Profile, Domain.Scopes.Health,
        HealthClaims.Scopes.DelegatedRecords, HealthClaims.Scopes.DelegatedLimited, HealthClaims.Scopes.DelegatedAppointments,
    ];

    /// <summary>What a client may do, as OpenIddict permissions: its endpoints, grants and scopes.</summary>
    public static IEnumerable<string> PermissionsFor(bool confidential, IEnumerable<string> grantTypes, IEnumerable<string> scopes)
    {
        var grants = grantTypes.ToList();
        yield return Permissions.Endpoints.Token;
        yield return Permissions.Endpoints.Revocation;
        if (confidential) yield return Permissions.Endpoints.Introspection;
        if (grants.Contains(GrantTypes.AuthorizationCode))
        {
            yield return Permissions.Endpoints.Authorization;
            yield return Permissions.Endpoints.EndSession;
            yield return Permissions.ResponseTypes.Code;
        }
        foreach (var grant in grants) yield return Permissions.Prefixes.GrantType + grant;
        // openid and offline_access come with the authorization code and refresh token grants.
        foreach (var scope in scopes.Where(s => s is not (Domain.Scopes.OpenId or Domain.Scopes.OfflineAccess)))
            yield return Permissions.Prefixes.Scope + scope;
    }

    public static void SetOrganization(IDictionary<string, JsonElement> properties, Guid organizationId, string organizationName)
    {
        properties[OrganizationIdProperty] = JsonSerializer.SerializeToElement(organizationId.ToString());
        properties[OrganizationNameProperty] = JsonSerializer.SerializeToElement(organizationName);
    }

    public async Task<RegisteredClient?> FindAsync(string clientId, CancellationToken ct)
    {
        if (await applications.FindByClientIdAsync(clientId, ct) is not { } application) return null;
        var properties = await applications.GetPropertiesAsync(application, ct);
        var permissions = await applications.GetPermissionsAsync(application, ct);
        return new RegisteredClient(
            clientId,
            await applications.GetDisplayNameAsync(application, ct) ?? clientId,
            await applications.HasClientTypeAsync(application, ClientTypes.Confidential, ct),
            [.. permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal)).Select(p => p[Permissions.Prefixes.Scope.Length..])],
            properties.TryGetValue(OrganizationIdProperty, out var id) && Guid.TryParse(id.GetString(), out var organizationId) ? organizationId : null,
            properties.TryGetValue(OrganizationNameProperty, out var name) ? name.GetString() : null);
    }

    /// <summary>A confidential client that a medical organization's system uses with client credentials; returns its secret.</summary>
    public Task<string> CreateMedicalOrganizationClientAsync(string clientId, Guid organizationId, string organizationName, CancellationToken ct) =>
        CreateOrganizationClientAsync(clientId, organizationId, organizationName, Domain.Scopes.HealthPublish, ct);

    /// <summary>
    /// A confidential client of a pharmacy (client credentials, scope health.pharmacy); <paramref name="pharmacyId"/> is its
    /// id in Prescriptions' pharmacy directory. Returns its secret.
    /// </summary>
    public Task<string> CreatePharmacyClientAsync(string clientId, Guid pharmacyId, string pharmacyName, CancellationToken ct) =>
        CreateOrganizationClientAsync(clientId, pharmacyId, pharmacyName, Domain.Scopes.HealthPharmacy, ct);

    private async Task<string> CreateOrganizationClientAsync(string clientId, Guid organizationId, string organizationName, string scope,
        CancellationToken ct)
    {
        var secret = SecretHasher.NewOpaqueValue();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = organizationName,
        };
        descriptor.Permissions.UnionWith(PermissionsFor(confidential: true, [GrantTypes.ClientCredentials], [scope]));
        SetOrganization(descriptor.Properties, organizationId, organizationName);
        descriptor.Properties[CreatedAtProperty] = JsonSerializer.SerializeToElement(time.GetUtcNow());
        await applications.CreateAsync(descriptor, ct);
        logger.LogInformation("Registered client {ClientId} of organization {OrganizationId} (scope {Scope})", clientId, organizationId, scope);
        return secret;
    }

    /// <summary>
    /// A public client (browser or mobile app): code + PKCE, refresh tokens, token exchange, no secret. Its redirect URIs
    /// are also where it may return after signing out. A client registered before gets what was added since.
    /// </summary>
    public async Task EnsurePublicClientAsync(string clientId, string displayName, string redirectUri, CancellationToken ct)
    {
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) || uri.Fragment.Length > 0)
            throw new ArgumentException("A redirect URI is absolute and has no fragment.", nameof(redirectUri));

        var application = await applications.FindByClientIdAsync(clientId, ct);
        var descriptor = new OpenIddictApplicationDescriptor();
        if (application is not null) await applications.PopulateAsync(descriptor, application, ct);
        var before = (descriptor.RedirectUris.Count, descriptor.Permissions.Count, descriptor.Requirements.Count);

        descriptor.ClientId = clientId;
        descriptor.ClientType = ClientTypes.Public;
        descriptor.ConsentType = ConsentTypes.Implicit;
        descriptor.DisplayName ??= displayName;
        descriptor.RedirectUris.Add(uri);
        descriptor.PostLogoutRedirectUris.Add(uri);
        descriptor.Permissions.UnionWith(PermissionsFor(confidential: false,
            [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.TokenExchange], PublicClientScopes));
        descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);

        if (application is null)
        {
            descriptor.Properties[CreatedAtProperty] = JsonSerializer.SerializeToElement(time.GetUtcNow());
            await applications.CreateAsync(descriptor, ct);
            logger.LogInformation("Registered public client {ClientId} redirecting to {RedirectUri}", clientId, redirectUri);
        }
        else if (before != (descriptor.RedirectUris.Count, descriptor.Permissions.Count, descriptor.Requirements.Count))
        {
            await applications.UpdateAsync(application, descriptor, ct);
            logger.LogInformation("Client {ClientId} updated: may redirect to {RedirectUri}", clientId, redirectUri);
        }
    }
}

/// <summary>
/// OpenIddict's application manager with identity's client-secret hashing (PBKDF2, <see cref="SecretHasher"/>), so that
/// secrets registered before OpenIddict still verify, and a verified secret remembered for a few minutes
/// (<see cref="VerifiedClientSecrets"/>): an organization's system asking for tokens all day does not pay the hash each time.
/// </summary>
public sealed class HealthApplicationManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication<Guid>> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication<Guid>>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication<Guid>> store,
    VerifiedClientSecrets verifiedSecrets)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication<Guid>>(cache, logger, options, store)
{
    protected override ValueTask<string> ObfuscateClientSecretAsync(string secret, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(SecretHasher.HashClientSecret(secret));

    protected override ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(verifiedSecrets.Verify(secret, comparand));
}
