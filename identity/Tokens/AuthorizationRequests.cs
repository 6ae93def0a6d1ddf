using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>A validated authorization request (RFC 6749 §4.1.1 with RFC 7636 PKCE).</summary>
public sealed record AuthorizationRequest(
    OAuthClient Client,
    string RedirectUri,
    IReadOnlyList<string> Scopes,
    string? State,
    string? Nonce,
    string CodeChallenge,
    string? Prompt)
{
    /// <summary>The parameters the login form carries back in hidden fields.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> FormParameters() =>
    [
        new("response_type", "code"),
        new("client_id", Client.ClientId),
        new("redirect_uri", RedirectUri),
        new("scope", Domain.Scopes.Join(Scopes)),
        new("code_challenge", CodeChallenge),
        new("code_challenge_method", Pkce.S256),
        .. State is null ? Array.Empty<KeyValuePair<string, string>>() : [new("state", State)],
        .. Nonce is null ? Array.Empty<KeyValuePair<string, string>>() : [new("nonce", Nonce)],
    ];
}

/// <summary>The outcome of validating an authorization request.</summary>
public abstract record AuthorizationValidation
{
    public sealed record Valid(AuthorizationRequest Request) : AuthorizationValidation;

    /// <summary>
    /// client_id or redirect_uri cannot be trusted: the error is shown to the user and never sent to
    /// the redirect URI, which would make the server an open redirector (RFC 6749 §4.1.2.1).
    /// </summary>
    public sealed record ShowError(string RussianMessage) : AuthorizationValidation;

    /// <summary>Anything else wrong goes back to the (verified) redirect URI.</summary>
    public sealed record RedirectError(string RedirectUri, OAuthError Error, string? State) : AuthorizationValidation;
}

public sealed class AuthorizationRequests(
    IdentityDb db,
    IOptions<TokenServiceOptions> options,
    TimeProvider time)
{
    public async Task<AuthorizationValidation> ValidateAsync(OAuthParameters p, CancellationToken ct)
    {
        if (p.RepeatedParameter is "client_id" or "redirect_uri")
            return new AuthorizationValidation.ShowError("Запрос на вход повреждён: параметр передан несколько раз.");
        if (p["client_id"] is not { } clientId)
            return new AuthorizationValidation.ShowError("В запросе на вход не указано приложение.");
        var client = await db.OAuthClients.AsNoTracking().SingleOrDefaultAsync(c => c.ClientId == clientId, ct);
        if (client is null)
            return new AuthorizationValidation.ShowError("Приложение, которое запросило вход, не зарегистрировано.");
        if (p["redirect_uri"] is not { } redirectUri)
            return new AuthorizationValidation.ShowError("В запросе на вход не указан адрес возврата в приложение.");
        if (!client.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
            return new AuthorizationValidation.ShowError("Адрес возврата не зарегистрирован для этого приложения.");

        var state = p["state"];
        AuthorizationValidation Fail(OAuthError error) => new AuthorizationValidation.RedirectError(redirectUri, error, state);

        if (p.RepeatedParameter is { } repeated) return Fail(OAuthError.InvalidRequest($"Parameter {repeated} is repeated."));
        if (p["request"] is not null || p["request_uri"] is not null)
            return Fail(new OAuthError("request_not_supported", "Request objects are not supported."));
        if (p["response_type"] is not { } responseType) return Fail(OAuthError.InvalidRequest("response_type is required."));
        if (responseType != "code") return Fail(OAuthError.UnsupportedResponseType("Only response_type=code is supported."));
        if (p["response_mode"] is { } mode && mode != "query") return Fail(OAuthError.InvalidRequest("Only response_mode=query is supported."));
        if (!client.AllowsGrant(GrantTypes.AuthorizationCode))
            return Fail(OAuthError.UnauthorizedClient("The client may not use the authorization code grant."));

        if (p["code_challenge"] is not { } challenge) return Fail(OAuthError.InvalidRequest("code_challenge is required (PKCE)."));
        // An absent method means "plain" (RFC 7636 §4.3), which lets an intercepted code be redeemed.
        if (p["code_challenge_method"] != Pkce.S256) return Fail(OAuthError.InvalidRequest("code_challenge_method must be S256."));
        if (!Pkce.IsWellFormedChallenge(challenge)) return Fail(OAuthError.InvalidRequest("code_challenge is malformed."));

        var scopes = Scopes.Parse(p["scope"]);
        if (scopes is null) return Fail(OAuthError.InvalidScope("The scope parameter is malformed."));
        if (scopes.Count == 0) return Fail(OAuthError.InvalidScope("scope is required."));
        if (scopes.FirstOrDefault(s => !client.AllowedScopes.Contains(s, StringComparer.Ordinal)) is { } unknown)
            return Fail(OAuthError.InvalidScope($"Scope {unknown} is not allowed for this client."));

        if (p["nonce"] is { Length: > 500 }) return Fail(OAuthError.InvalidRequest("nonce is too long."));

        var prompt = p["prompt"];
        if (prompt is not null)
        {
            var prompts = prompt.Split(' ');
            if (prompts.Contains("none") && prompts.Length > 1)
                return Fail(OAuthError.InvalidRequest("prompt=none cannot be combined with other values."));
        }

        return new AuthorizationValidation.Valid(new AuthorizationRequest(client, redirectUri, scopes, state, p["nonce"], challenge, prompt));
    }

    /// <summary>Stores a new single-use code (only its hash) and returns it.</summary>
    /// <param name="sessionId">
    /// The sign-in session (<see cref="UserSession"/>) the code is issued from: the <c>sid</c> claim of the sign-in
    /// cookie (<see cref="Sessions.SessionStore.SessionIdOf"/>), or the session just started. Its tokens carry it, and
    /// ending the session stops them; a code whose session has ended is refused at the token endpoint.
    /// </param>
    /// <param name="authTime">When the person proved who they are (the cookie's issue time), for <c>auth_time</c>.</param>
    public async Task<string> IssueCodeAsync(AuthorizationRequest request, Guid userId, Guid sessionId, DateTimeOffset authTime, CancellationToken ct)
    {
        var code = SecretHasher.NewOpaqueValue();
        var now = time.GetUtcNow();
        db.AuthorizationCodes.Add(new AuthorizationCode
        {
            CodeHash = SecretHasher.HashToken(code),
            ClientId = request.Client.ClientId,
            UserId = userId,
            SessionId = sessionId,
            RedirectUri = request.RedirectUri,
            Scope = Domain.Scopes.Join(request.Scopes),
            CodeChallenge = request.CodeChallenge,
            Nonce = request.Nonce,
            AuthTime = authTime,
            CreatedAt = now,
            ExpiresAt = now + options.Value.AuthorizationCodeLifetime,
        });
        await db.SaveChangesAsync(ct);
        // The session is in use (shown as "last seen" in the person's list of sessions).
        await db.Sessions.Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), ct);
        return code;
    }

    /// <summary>The redirect back to the client; <c>iss</c> tells it which server answered (RFC 9207).</summary>
    public string RedirectWithCode(AuthorizationRequest request, string code) =>
        QueryHelpers.AddQueryString(request.RedirectUri, Parameters(("code", code), ("state", request.State)));

    public string RedirectWithError(AuthorizationValidation.RedirectError e) =>
        QueryHelpers.AddQueryString(e.RedirectUri,
            Parameters(("error", e.Error.Error), ("error_description", e.Error.Description), ("state", e.State)));

    private IEnumerable<KeyValuePair<string, string?>> Parameters(params (string Name, string? Value)[] values) =>
        values.Where(v => v.Value is not null)
            .Select(v => new KeyValuePair<string, string?>(v.Name, v.Value))
            .Append(new KeyValuePair<string, string?>("iss", options.Value.Issuer));
}
