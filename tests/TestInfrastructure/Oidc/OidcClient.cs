using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using System.Web;

namespace Gosuslugi.Health.TestInfrastructure.Oidc;

/// <summary>
/// Gets tokens the way an ordinary OAuth 2.0 / OpenID Connect client does, over HTTP only:
/// authorization code with PKCE through the sign-in pages (password and second factor), and client credentials.
/// Tests and the benchmark use it, so no shortcut into the identity database is ever needed.
/// </summary>
public sealed class OidcClient(Uri issuer) : IDisposable
{
    private readonly CookieContainer _cookies = new();
    private HttpClient? _http;

    private HttpClient Http => _http ??= new HttpClient(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        CookieContainer = _cookies,
        UseCookies = true,
    })
    { BaseAddress = issuer };

    /// <summary>
    /// Signs a person in through the sign-in pages (password, then <paramref name="secondFactor"/>) and exchanges the
    /// code for tokens. A browser that is still signed in (this client's cookies) gets its code without the pages; one
    /// that was remembered skips the second factor.
    /// </summary>
    /// <param name="rememberDevice">Ticks "remember this device": later sign-ins through this client skip the second factor.</param>
    public async Task<TokenResponse> SignInWithCodeAsync(
        string clientId, string redirectUri, string username, string password, SecondFactor secondFactor,
        string scope = "openid profile offline_access health", bool rememberDevice = false, CancellationToken ct = default)
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        var nonce = Base64Url(RandomNumberGenerator.GetBytes(16));

        var authorizeUrl = "connect/authorize?" + Query(new()
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["scope"] = scope,
            ["state"] = state,
            ["nonce"] = nonce,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        });
        using var page = await Http.GetAsync(authorizeUrl, ct);
        var html = await page.Content.ReadAsStringAsync(ct);
        Uri location;
        if (page.StatusCode == HttpStatusCode.Found && page.Headers.Location is { } signedIn)
        {
            location = signedIn;
        }
        else
        {
            if (page.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"Authorize page answered {(int)page.StatusCode}: {html}");

            var form = SignInForm.Parse(html);
            form.Fields["username"] = username;
            form.Fields["password"] = password;
            var action = string.IsNullOrEmpty(form.Action) ? authorizeUrl : form.Action.TrimStart('/');
            var requestedAt = DateTimeOffset.UtcNow;
            using var submitted = await Http.PostAsync(action, new FormUrlEncodedContent(form.Fields), ct);
            using var passed = await SecondFactorStep.PassAsync(Http, submitted, secondFactor, requestedAt, rememberDevice, ct);
            if (passed.StatusCode is not (HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.Redirect)
                || passed.Headers.Location is not { } redirected)
            {
                throw new SignInFailedException((int)passed.StatusCode, await passed.Content.ReadAsStringAsync(ct));
            }
            location = redirected;
        }

        var callback = HttpUtility.ParseQueryString(location.Query);
        if (!location.ToString().StartsWith(redirectUri, StringComparison.Ordinal))
            throw new InvalidOperationException($"Redirected to {location}, not to the registered redirect URI.");
        if (callback["state"] != state)
            throw new InvalidOperationException("The state did not round-trip.");
        var code = callback["code"] ?? throw new InvalidOperationException($"No code in {location}: {callback["error"]}");

        return await RequestTokenAsync(new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = clientId,
            ["code_verifier"] = verifier,
        }, basicAuth: null, ct);
    }

    public Task<TokenResponse> ClientCredentialsAsync(string clientId, string clientSecret, string scope = "health.publish", CancellationToken ct = default)
        => RequestTokenAsync(new() { ["grant_type"] = "client_credentials", ["scope"] = scope }, (clientId, clientSecret), ct);

    public Task<TokenResponse> RefreshAsync(string clientId, string refreshToken, CancellationToken ct = default)
        => RequestTokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = clientId }, null, ct);

    private async Task<TokenResponse> RequestTokenAsync(Dictionary<string, string> body, (string Id, string Secret)? basicAuth, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "connect/token") { Content = new FormUrlEncodedContent(body) };
        if (basicAuth is { } c)
        {
            var raw = $"{Uri.EscapeDataString(c.Id)}:{Uri.EscapeDataString(c.Secret)}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(raw)));
        }
        using var response = await Http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Token endpoint answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(ct))!;
    }

    private static string Query(Dictionary<string, string> values)
        => string.Join('&', values.Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value)}"));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose() => _http?.Dispose();
}

public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("id_token")] string? IdToken,
    [property: JsonPropertyName("scope")] string? Scope);

public sealed class SignInFailedException(int status, string body)
    : Exception($"Sign-in was not accepted (HTTP {status}).")
{
    public int Status { get; } = status;
    public string Body { get; } = body;
}
