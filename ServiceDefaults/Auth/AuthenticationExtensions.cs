using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Gosuslugi.Health.ServiceDefaults.Auth;

internal static class AuthenticationExtensions
{
    /// <summary>Tolerated difference between identity's clock and ours when checking exp/nbf.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The HttpClient that fetches identity's JWKS: service discovery and the standard resilience handler apply.</summary>
    public const string JwksClientName = "identity-jwks";

    public const string DenyListUnavailableDetail =
        "Не удалось проверить действительность входа. Повторите попытку через несколько секунд.";

    public static IHostApplicationBuilder AddServiceAuthentication(this IHostApplicationBuilder builder)
    {
        // Every token is checked against the deny-list in Redis, so every service and the gateway need Redis.
        builder.AddServiceRedis();
        builder.Services.AddSingleton<TokenDenyList>();

        builder.Services.AddHttpClient(JwksClientName);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IConfiguration, ILoggerFactory, IHttpClientFactory>(Configure);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Patient, p => p
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(HealthClaims.Roles.Patient)
                .AddRequirements(new ScopeRequirement(HealthClaims.Scopes.Health)))
            .AddPolicy(Policies.MedicalOrganization, p => p
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(HealthClaims.Roles.MedicalOrganization)
                .AddRequirements(new ScopeRequirement(HealthClaims.Scopes.HealthPublish))
                .RequireAssertion(c => c.User.GetOrganizationId() is not null))
            .AddPolicy(Policies.Pharmacy, p => p
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(HealthClaims.Roles.Pharmacy)
                .AddRequirements(new ScopeRequirement(HealthClaims.Scopes.HealthPharmacy))
                .RequireAssertion(c => c.User.GetOrganizationId() is not null))
            .AddPolicy(Policies.Doctor, p => p
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(HealthClaims.Roles.Doctor))
            .AddPolicy(Policies.Admin, p => p
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(HealthClaims.Roles.Admin))
            .AddPolicy(Policies.MedicalData, p => p
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new MedicalDataRequirement()));
        // A refusal the person can act on (unconfirmed account, no consent) becomes a 403 problem that says what to do.
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, RefusalProblemResultHandler>();
        return builder;
    }

    /// <summary>
    /// identity's internal base URL: Identity:Url, else the service reference services:identity:http:0. Either may be a
    /// service-discovery name (http://identity).
    /// </summary>
    public static string? IdentityUrl(IConfiguration configuration) =>
        configuration["Identity:Url"] is { Length: > 0 } url ? url : configuration["services:identity:http:0"];

    private static void Configure(JwtBearerOptions options, IConfiguration configuration, ILoggerFactory loggerFactory, IHttpClientFactory httpClients)
    {
        var logger = loggerFactory.CreateLogger("Gosuslugi.Health.ServiceDefaults.Authentication");
        options.MapInboundClaims = false;
        options.IncludeErrorDetails = false; // WWW-Authenticate says invalid_token; the reason goes to our log only
        options.SaveToken = false;
        options.RefreshOnIssuerKeyNotFound = true;
        // A token found valid is remembered briefly (RememberedTokenValidation); the deny-list is still asked each time.
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(new RememberedTokenValidation(TimeProvider.System));
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = configuration["Identity:Issuer"],
            ValidateAudience = true,
            ValidAudience = configuration["Identity:Audience"] is { Length: > 0 } audience ? audience : "gosuslugi-health-api",
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            // ES256 (identity's keys since December), RS256 (its earlier keys, until they are retired).
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256],
            ValidTypes = ["at+jwt"],
            ClockSkew = ClockSkew,
            NameClaimType = HealthClaims.Subject,
            RoleClaimType = HealthClaims.Role,
        };

        var identityUrl = IdentityUrl(configuration);
        if (identityUrl is null)
        {
            logger.LogWarning("Neither Identity:Url nor services:identity:http:0 is configured: every token will be rejected");
        }
        else
        {
            var jwksUrl = identityUrl.TrimEnd('/') + "/.well-known/jwks.json";
            options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                jwksUrl,
                new JwksConfigurationRetriever(),
                new HttpDocumentRetriever(httpClients.CreateClient(JwksClientName)) { RequireHttps = !AllowsPlainHttp(jwksUrl) })
            {
                // A token with an unknown kid asks for a refresh; do not let that hammer identity.
                RefreshInterval = TimeSpan.FromSeconds(5),
                AutomaticRefreshInterval = TimeSpan.FromMinutes(10),
            };
        }

        // Identity replaces the ConfigurationManager, issuer and audience in a PostConfigure; these events stay.
        options.Events = new JwtBearerEvents
        {
            OnTokenValidated = context => RejectDeniedTokenAsync(context, logger),
            OnAuthenticationFailed = context =>
            {
                // The reason only, never the token.
                logger.LogInformation("Access token rejected on {Method} {Path}: {Reason}",
                    context.Request.Method, context.Request.Path, context.Exception.GetType().Name + ": " + FirstLine(context.Exception.Message));
                return Task.CompletedTask;
            },
            OnChallenge = context =>
            {
                if (context.AuthenticateFailure is TokenDenyListUnavailableException)
                {
                    return WriteDenyListUnavailableAsync(context);
                }

                // RFC 6750 error code without a description: the client learns the token is bad, not why.
                if (context.AuthenticateFailure is not null) context.Error = "invalid_token";
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>
    /// After signature, issuer, audience, type and lifetime passed: a signed-out token, an ended session or a revoked
    /// delegation fails here, in one Redis round trip. When Redis does not answer the token fails too (closed, never
    /// a silent pass), and the challenge turns that into a 503 rather than a 401 that would send the person to sign in.
    /// </summary>
    private static async Task RejectDeniedTokenAsync(TokenValidatedContext context, ILogger logger)
    {
        var principal = context.Principal!;
        var http = context.HttpContext;
        bool denied;
        try
        {
            var denyList = http.RequestServices.GetRequiredService<TokenDenyList>();
            denied = await denyList.IsDeniedAsync(principal, http.RequestAborted);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            throw; // the client went away; nobody is waiting for an answer
        }
        catch (Exception exception)
        {
            logger.LogError("Access token on {Method} {Path} not checked against the deny-list, request refused: {Reason}",
                http.Request.Method, http.Request.Path, exception.GetType().Name + ": " + FirstLine(exception.Message));
            context.Fail(new TokenDenyListUnavailableException(exception));
            return;
        }

        if (denied)
        {
            // Identifiers only (which token, session, delegation), never the token itself.
            logger.LogInformation(
                "Access token rejected on {Method} {Path}: revoked (jti {TokenId}, session {SessionId}, delegation {DelegationId} checked)",
                http.Request.Method, http.Request.Path, principal.FindFirst(HealthClaims.TokenId)?.Value,
                principal.GetSessionId(), principal.GetDelegationId());
            context.Fail("The access token was revoked.");
        }
    }

    private static async Task WriteDenyListUnavailableAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var response = context.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = "5";
        await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service Unavailable",
                Detail = DenyListUnavailableDetail,
            },
        });
    }

    private static bool AllowsPlainHttp(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.IsLoopback || uri.Scheme == Uri.UriSchemeHttp);

    private static string FirstLine(string message)
    {
        var i = message.IndexOfAny(['\r', '\n']);
        return i < 0 ? message : message[..i];
    }
}
