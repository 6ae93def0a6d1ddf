using Microsoft.AspNetCore;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace Gosuslugi.Health.Identity.Tokens;

public sealed record AuthorizationClient(string ClientId, string DisplayName);

/// <summary>An authorization request that OpenIddict has validated (client, redirect URI, PKCE S256, scopes).</summary>
public sealed record AuthorizationRequest(AuthorizationClient Client, OpenIddictRequest Parameters)
{
    /// <summary>The parameters of the request that the sign-in forms carry back in hidden fields.</summary>
    private static readonly string[] CarriedParameters =
    [
        OpenIddictConstants.Parameters.ResponseType, OpenIddictConstants.Parameters.ClientId, OpenIddictConstants.Parameters.RedirectUri,
        OpenIddictConstants.Parameters.Scope, OpenIddictConstants.Parameters.State, OpenIddictConstants.Parameters.Nonce,
        OpenIddictConstants.Parameters.CodeChallenge, OpenIddictConstants.Parameters.CodeChallengeMethod,
        OpenIddictConstants.Parameters.ResponseMode, OpenIddictConstants.Parameters.Prompt, OpenIddictConstants.Parameters.MaxAge,
        OpenIddictConstants.Parameters.UiLocales, OpenIddictConstants.Parameters.LoginHint,
    ];

    public IReadOnlyList<string> Scopes => [.. Parameters.GetScopes()];

    public IReadOnlyList<KeyValuePair<string, string>> FormParameters() =>
    [
        .. CarriedParameters
            .Select(name => (Name: name, Value: Parameters.GetParameter(name)?.ToString()))
            .Where(p => !string.IsNullOrEmpty(p.Value))
            .Select(p => new KeyValuePair<string, string>(p.Name, p.Value!)),
    ];
}

/// <summary>The outcome of reading an authorization request.</summary>
public abstract record AuthorizationValidation
{
    public sealed record Valid(AuthorizationRequest Request) : AuthorizationValidation;

    /// <summary>
    /// client_id or redirect_uri cannot be trusted: the error is shown to the person and never sent to the redirect URI,
    /// which would make the server an open redirector (RFC 6749 §4.1.2.1). Errors that can go back to the client,
    /// OpenIddict sends there itself.
    /// </summary>
    public sealed record ShowError(string RussianMessage) : AuthorizationValidation;

    /// <summary>
    /// An error OpenIddict found before it had checked the redirect URI (a malformed parameter), in a request whose client
    /// and redirect URI turn out to be registered: it goes back to the client (RFC 6749 §4.1.2.1).
    /// </summary>
    public sealed record RedirectError(string Location) : AuthorizationValidation;
}

public sealed class AuthorizationRequests(ClientRegistry clients, IOpenIddictApplicationManager applications, IOptions<TokenServiceOptions> options)
{
    public async Task<AuthorizationValidation> ReadAsync(HttpContext context, CancellationToken ct)
    {
        if (context.GetOpenIddictServerResponse() is { Error: { Length: > 0 } } error)
        {
            return await RedirectableAsync(context.GetOpenIddictServerRequest(), error, ct) is { } location
                ? new AuthorizationValidation.RedirectError(location)
                : new AuthorizationValidation.ShowError(RussianMessage(error.ErrorDescription));
        }
        if (context.GetOpenIddictServerRequest() is not { ClientId: { } clientId } request
            || await clients.FindAsync(clientId, ct) is not { } client)
        {
            return new AuthorizationValidation.ShowError("Запрос на вход повреждён.");
        }
        return new AuthorizationValidation.Valid(new AuthorizationRequest(new AuthorizationClient(client.ClientId, client.DisplayName), request));
    }

    private async Task<string?> RedirectableAsync(OpenIddictRequest? request, OpenIddictResponse error, CancellationToken ct)
    {
        if (request is not { ClientId: { } clientId, RedirectUri: { } redirectUri }
            || await applications.FindByClientIdAsync(clientId, ct) is not { } application
            || !await applications.ValidateRedirectUriAsync(application, redirectUri, ct))
        {
            return null;
        }
        // The issuer too, so the client knows which server answered (RFC 9207).
        return QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?>
        {
            [OpenIddictConstants.Parameters.Error] = error.Error,
            [OpenIddictConstants.Parameters.ErrorDescription] = error.ErrorDescription,
            [OpenIddictConstants.Parameters.State] = request.State,
            [OpenIddictConstants.Parameters.Iss] = options.Value.Issuer,
        }.Where(p => p.Value is not null));
    }

    /// <summary>What a person reads for an error OpenIddict could not send back to the application.</summary>
    private static string RussianMessage(string? description)
    {
        description ??= "";
        var missing = description.Contains("missing", StringComparison.OrdinalIgnoreCase);
        if (description.Contains("'client_id'", StringComparison.Ordinal))
            return missing ? "В запросе на вход не указано приложение." : "Приложение, которое запросило вход, не зарегистрировано.";
        if (description.Contains("'redirect_uri'", StringComparison.Ordinal))
            return missing ? "В запросе на вход не указан адрес возврата в приложение." : "Адрес возврата не зарегистрирован для этого приложения.";
        return "Запрос на вход повреждён.";
    }
}
