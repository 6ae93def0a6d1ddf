using System.Collections.Specialized;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Web;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.TestInfrastructure.Oidc;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Gosuslugi.Health.Contracts;

namespace Gosuslugi.Health.Identity.Tests;

/// <summary>
/// Drives identity the way an ordinary OAuth client and a browser do: over HTTP only. A sign-in passes the person's
/// second factor like the person would: a code from their authenticator app when they have one, else the SMS code
/// from the development mailbox (<paramref name="fixture"/> says which person has which).
/// </summary>
public sealed partial class OAuthDriver(HttpClient http, string clientId, string redirectUri, IdentityServiceFixture? fixture = null)
{
    public HttpClient Http => http;
    public string ClientId => clientId;
    public string RedirectUri => redirectUri;

    public static string NewVerifier() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
    public static string ChallengeOf(string verifier) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>The parameters of a valid authorization request; tests change or remove some.</summary>
    public Dictionary<string, string?> AuthorizeParameters(string verifier, string scope = "openid profile offline_access health") => new()
    {
        ["response_type"] = "code",
        ["client_id"] = clientId,
        ["redirect_uri"] = redirectUri,
        ["scope"] = scope,
        ["state"] = "state-" + Guid.NewGuid().ToString("N"),
        ["nonce"] = "nonce-" + Guid.NewGuid().ToString("N"),
        ["code_challenge"] = ChallengeOf(verifier),
        ["code_challenge_method"] = "S256",
    };

    public Task<HttpResponseMessage> GetAuthorizeAsync(IEnumerable<KeyValuePair<string, string?>> parameters) =>
        http.GetAsync("/connect/authorize?" + string.Join('&', parameters
            .Where(p => p.Value is not null)
            .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}")));

    public sealed record HtmlForm(string Action, Dictionary<string, string> Fields);

    public static HtmlForm ParseForm(string html)
    {
        var action = FormAction().Match(html);
        action.Success.ShouldBeTrue("the page has no form");
        var fields = new Dictionary<string, string>();
        foreach (Match input in InputTag().Matches(html))
        {
            var name = Attribute(input.Value, "name");
            if (name is not null) fields[name] = Attribute(input.Value, "value") ?? "";
        }
        return new HtmlForm(WebUtility.HtmlDecode(action.Groups[1].Value), fields);
    }

    public Task<HttpResponseMessage> SubmitLoginAsync(HtmlForm form, string username, string password)
    {
        var fields = new Dictionary<string, string>(form.Fields) { ["username"] = username, ["password"] = password };
        return http.PostAsync(form.Action, new FormUrlEncodedContent(fields));
    }

    /// <summary>GET authorize, read the login form, post the credentials; returns the response to the post.</summary>
    public async Task<HttpResponseMessage> LoginAsync(Dictionary<string, string?> parameters, string username, string password)
    {
        using var page = await GetAuthorizeAsync(parameters);
        page.StatusCode.ShouldBe(HttpStatusCode.OK, await page.Content.ReadAsStringAsync());
        return await SubmitLoginAsync(ParseForm(await page.Content.ReadAsStringAsync()), username, password);
    }

    /// <summary>
    /// The whole front channel (password, then the person's second factor, or none on a remembered device): returns
    /// the query of the redirect back to the client.
    /// </summary>
    public async Task<NameValueCollection> SignInAsync(Dictionary<string, string?> parameters, string username, string password,
        SecondFactor? secondFactor = null, bool rememberDevice = false)
    {
        var requestedAt = DateTimeOffset.UtcNow;
        using var passwordAnswer = await LoginAsync(parameters, username, password);
        using var response = await PassSecondFactorAsync(passwordAnswer, username, requestedAt, secondFactor, rememberDevice);
        response.StatusCode.ShouldBe(HttpStatusCode.Found, await response.Content.ReadAsStringAsync());
        return CallbackQuery(response);
    }

    /// <summary>
    /// Given the answer to the password form: passes the second-factor page with <paramref name="secondFactor"/> (by
    /// default the one <see cref="SecondFactorOfAsync"/> finds) and returns the last answer; any other answer as it is.
    /// </summary>
    public async Task<HttpResponseMessage> PassSecondFactorAsync(HttpResponseMessage passwordAnswer, string login, DateTimeOffset requestedAt,
        SecondFactor? secondFactor = null, bool rememberDevice = false)
    {
        if (passwordAnswer.StatusCode != HttpStatusCode.OK) return passwordAnswer;
        if (!SignInForm.Parse(await passwordAnswer.Content.ReadAsStringAsync()).IsSecondFactor) return passwordAnswer;
        return await SecondFactorStep.PassAsync(http, passwordAnswer, secondFactor ?? await SecondFactorOfAsync(login), requestedAt, rememberDevice);
    }

    /// <summary>
    /// What the person with this login (or SNILS) passes the second step with: their authenticator app (its secret, as
    /// the app on their phone holds it) when they have one, else the SMS code to their phone, or the e-mail code when
    /// their phone had a code less than a minute ago.
    /// </summary>
    public async Task<SecondFactor> SecondFactorOfAsync(string login)
    {
        var owner = fixture ?? throw new InvalidOperationException("This browser was made without the fixture: pass the second factor.");
        var (totpSecret, phone, email) = await owner.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<HealthUser>>();
            var user = await users.FindByNameAsync(login)
                       ?? (Snils.TryNormalize(login, out var snils) ? await users.Users.SingleOrDefaultAsync(u => u.Snils == snils) : null)
                       ?? throw new InvalidOperationException($"No account {login}.");
            var secret = user is { TotpSecret: { } stored, TotpEnabledAt: not null } ? sp.GetRequiredService<TotpSecrets>().Unprotect(stored) : null;
            return (secret, user.PhoneNumber, user.Email);
        });
        return totpSecret is not null
            ? SecondFactor.AuthenticatorApp(totpSecret)
            : SecondFactor.CodeFromMailbox(owner.Mailbox, phone ?? throw new InvalidOperationException($"{login} has no second factor."), email);
    }

    public NameValueCollection CallbackQuery(HttpResponseMessage redirect)
    {
        var location = redirect.Headers.Location.ShouldNotBeNull();
        location.GetLeftPart(UriPartial.Path).ShouldBe(redirectUri);
        return HttpUtility.ParseQueryString(location.Query);
    }

    public async Task<TokenSet> SignInAndRedeemAsync(string username, string password, string scope = "openid profile offline_access health")
    {
        var verifier = NewVerifier();
        var parameters = AuthorizeParameters(verifier, scope);
        var callback = await SignInAsync(parameters, username, password);
        using var response = await RedeemCodeAsync(callback["code"]!, verifier);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await TokenSet.ReadAsync(response);
    }

    public Task<HttpResponseMessage> RedeemCodeAsync(string code, string verifier, string? redirect = null) =>
        PostTokenAsync(new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirect ?? redirectUri,
            ["client_id"] = clientId,
            ["code_verifier"] = verifier,
        });

    public Task<HttpResponseMessage> RefreshAsync(string refreshToken, string? scope = null)
    {
        var body = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = clientId };
        if (scope is not null) body["scope"] = scope;
        return PostTokenAsync(body);
    }

    public Task<HttpResponseMessage> PostTokenAsync(Dictionary<string, string> body, AuthenticationHeaderValue? authorization = null) =>
        PostFormAsync(http, "/connect/token", body, authorization);

    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient http, string path, IEnumerable<KeyValuePair<string, string>> body,
        AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(body) };
        request.Headers.Authorization = authorization;
        return await http.SendAsync(request);
    }

    public static AuthenticationHeaderValue Basic(string id, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(id)}:{Uri.EscapeDataString(secret)}")));

    private static string? Attribute(string tag, string name)
    {
        var m = Regex.Match(tag, $@"\s{name}=""([^""]*)""", RegexOptions.IgnoreCase);
        return m.Success ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;
    }

    [GeneratedRegex(@"<form[^>]*\saction=""([^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();

    [GeneratedRegex("<input[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputTag();
}

public sealed record TokenSet(string AccessToken, string TokenType, int ExpiresIn, string Scope, string? RefreshToken, string? IdToken)
{
    public static async Task<TokenSet> ReadAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        string? Optional(string name) => root.TryGetProperty(name, out var p) ? p.GetString() : null;
        return new TokenSet(root.GetProperty("access_token").GetString()!, root.GetProperty("token_type").GetString()!,
            root.GetProperty("expires_in").GetInt32(), root.GetProperty("scope").GetString()!, Optional("refresh_token"), Optional("id_token"));
    }

    public JsonWebToken Access => new(AccessToken);
}

public static class OAuthAssertions
{
    /// <summary>An RFC 6749 §5.2 error body with the given code, never cached.</summary>
    public static async Task ShouldBeOAuthErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        response.Headers.CacheControl?.NoStore.ShouldBe(true);
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("error").GetString().ShouldBe(error, body);
        json.RootElement.GetProperty("error_description").GetString().ShouldNotBeNullOrEmpty();
    }
}
