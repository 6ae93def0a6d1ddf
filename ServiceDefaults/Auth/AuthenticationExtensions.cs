using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
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
    public static IHostApplicationBuilder AddServiceAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IConfiguration, ILoggerFactory>(Configure);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Patient, p => p
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(HealthClaims.Roles.Patient)
                .RequireAssertion(c => c.User.HasScope(HealthClaims.Scopes.Health)))
            .AddPolicy(Policies.MedicalOrganization, p => p
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(HealthClaims.Roles.MedicalOrganization)
                .RequireAssertion(c => c.User.HasScope(HealthClaims.Scopes.HealthPublish) && c.User.GetOrganizationId() is not null))
            .AddPolicy(Policies.Doctor, p => p
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(HealthClaims.Roles.Doctor))
            .AddPolicy(Policies.Admin, p => p
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(HealthClaims.Roles.Admin));
        return builder;
    }

    /// <summary>identity's internal base URL: Identity:Url, else the service reference services:identity:http:0.</summary>
    public static string? IdentityUrl(IConfiguration configuration) =>
        configuration["Identity:Url"] is { Length: > 0 } url ? url : configuration["services:identity:http:0"];

    private static void Configure(JwtBearerOptions options, IConfiguration configuration, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger("Gosuslugi.Health.ServiceDefaults.Authentication");
        options.MapInboundClaims = false;
        options.IncludeErrorDetails = false; // WWW-Authenticate says invalid_token; the reason goes to our log only
        options.SaveToken = false;
        options.RefreshOnIssuerKeyNotFound = true;
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
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = ["at+jwt"],
            ClockSkew = TimeSpan.FromSeconds(30),
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
                new HttpDocumentRetriever { RequireHttps = !AllowsPlainHttp(jwksUrl) })
            {
                // A token with an unknown kid asks for a refresh; do not let that hammer identity.
                RefreshInterval = TimeSpan.FromSeconds(5),
                AutomaticRefreshInterval = TimeSpan.FromMinutes(10),
            };
        }

        options.Events = new JwtBearerEvents
        {
            OnAuthenticationFailed = context =>
            {
                // The reason only, never the token.
                logger.LogInformation("Access token rejected on {Method} {Path}: {Reason}",
                    context.Request.Method, context.Request.Path, context.Exception.GetType().Name + ": " + FirstLine(context.Exception.Message));
                return Task.CompletedTask;
            },
            OnChallenge = context =>
            {
                // RFC 6750 error code without a description: the client learns the token is bad, not why.
                if (context.AuthenticateFailure is not null) context.Error = "invalid_token";
                return Task.CompletedTask;
            },
        };
    }

    private static bool AllowsPlainHttp(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.IsLoopback || uri.Scheme == Uri.UriSchemeHttp);

    private static string FirstLine(string message)
    {
        var i = message.IndexOfAny(['\r', '\n']);
        return i < 0 ? message : message[..i];
    }
}
