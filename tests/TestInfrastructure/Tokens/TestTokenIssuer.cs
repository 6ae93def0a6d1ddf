using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gosuslugi.Health.TestInfrastructure;

/// <summary>
/// An RS256 token issuer for tests of one service or of the gateway (identity is not started): a tiny Kestrel
/// server on 127.0.0.1 serving <c>/.well-known/jwks.json</c>, and access tokens shaped like identity's
/// (RFC 9068: <c>typ: at+jwt</c>, <c>kid</c>, iss, aud, sub, client_id, jti, iat, nbf, exp, scope, role).
/// Point the app under test at it with <c>Identity:Url = issuer.Url</c>, <c>Identity:Issuer = issuer.Issuer</c>,
/// <c>Identity:Audience = issuer.Audience</c> (see <see cref="Configuration"/>).
/// End-to-end tests use the real identity service instead.
/// </summary>
public sealed class TestTokenIssuer : IAsyncDisposable
{
    public const string DefaultAudience = "gosuslugi-health-api";

    private readonly WebApplication _app;
    private readonly Lock _keysLock = new();
    private readonly List<SigningKey> _published = [];
    private SigningKey _current;

    private TestTokenIssuer(WebApplication app, string url, string issuer, string audience, SigningKey key)
    {
        _app = app;
        Url = url;
        Issuer = issuer;
        Audience = audience;
        _current = key;
        _published.Add(key);
    }

    /// <summary>Base URL of the JWKS server, e.g. http://127.0.0.1:41234 (set it as Identity:Url).</summary>
    public string Url { get; }

    /// <summary>The <c>iss</c> of issued tokens (by default the same as <see cref="Url"/>).</summary>
    public string Issuer { get; }

    public string Audience { get; }

    /// <summary>The kid of the key that signs new tokens.</summary>
    public string CurrentKeyId => _current.Kid;

    /// <summary>How many times the JWKS document was fetched (to observe caching and refresh on unknown kid).</summary>
    public int JwksRequests => _jwksRequests;
    private int _jwksRequests;

    /// <summary>Configuration for the app under test: Identity:Url, Identity:Issuer, Identity:Audience.</summary>
    public IReadOnlyDictionary<string, string?> Configuration => new Dictionary<string, string?>
    {
        ["Identity:Url"] = Url,
        ["Identity:Issuer"] = Issuer,
        ["Identity:Audience"] = Audience,
    };

    public static async Task<TestTokenIssuer> StartAsync(string? issuer = null, string audience = DefaultAudience)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();

        TestTokenIssuer? self = null;
        app.MapGet("/.well-known/jwks.json", (HttpContext context) =>
        {
            Interlocked.Increment(ref self!._jwksRequests);
            context.Response.Headers.CacheControl = "no-store";
            return Results.Text(self.JwksJson(), "application/json");
        });
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = self!.Issuer,
            ["jwks_uri"] = self.Url + "/.well-known/jwks.json",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First().TrimEnd('/');
        self = new TestTokenIssuer(app, address, issuer ?? address, audience, SigningKey.Create());
        return self;
    }

    /// <summary>
    /// A valid access token. A patient's token (role patient) gets, like identity's for a confirmed account with consent,
    /// <c>acc_level: confirmed</c> and <c>pd_consent: "true"</c> unless <paramref name="extraClaims"/> names them;
    /// an extra claim whose value is <see cref="Omit"/> is left out of the token.
    /// </summary>
    public string CreateToken(
        string sub,
        IEnumerable<string> roles,
        IEnumerable<string> scopes,
        IDictionary<string, object>? extraClaims = null,
        TimeSpan? lifetime = null,
        string? clientId = "test-client",
        string? audience = null,
        string? issuer = null,
        DateTimeOffset? issuedAt = null)
    {
        var now = issuedAt ?? DateTimeOffset.UtcNow;
        var payload = new JsonObject
        {
            ["iss"] = issuer ?? Issuer,
            ["aud"] = audience ?? Audience,
            ["sub"] = sub,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + (lifetime ?? TimeSpan.FromMinutes(10))).ToUnixTimeSeconds(),
        };
        if (clientId is not null) payload["client_id"] = clientId;
        var scopeList = scopes.ToList();
        if (scopeList.Count > 0) payload["scope"] = string.Join(' ', scopeList);
        var roleList = roles.ToList();
        if (roleList.Count == 1) payload["role"] = roleList[0];
        else if (roleList.Count > 1) payload["role"] = new JsonArray(roleList.Select(r => (JsonNode?)JsonValue.Create(r)).ToArray());
        if (roleList.Contains(PatientRole))
        {
            payload[AccountLevelClaim] = ConfirmedLevel;
            payload[ConsentClaim] = "true";
        }
        if (extraClaims is not null)
        {
            foreach (var (name, value) in extraClaims)
            {
                if (ReferenceEquals(value, Omit)) payload.Remove(name);
                else payload[name] = JsonSerializer.SerializeToNode(value);
            }
        }
        return Sign(payload, _current);
    }

    /// <summary>As the value of an extra claim: leave the claim out (e.g. a patient's token without acc_level).</summary>
    public static readonly object Omit = new();

    private static object OrOmit(object? value) => value ?? Omit;

    // Claim names and values as identity writes them (this library does not reference ServiceDefaults' HealthClaims).
    public const string PatientRole = "patient";
    public const string AccountLevelClaim = "acc_level";
    public const string ConsentClaim = "pd_consent";
    public const string ConfirmedLevel = "confirmed";
    public const string DelegatedRecordsScope = "health.delegated.records";
    public const string DelegatedLimitedScope = "health.delegated.limited";

    /// <summary>
    /// A patient's own token (role patient, scope health). By default a confirmed account with consent; pass
    /// <paramref name="accountLevel"/> "simplified"/"standard" or <paramref name="consent"/> false (or null: no claim)
    /// for the refusals. <paramref name="sessionId"/> becomes <c>sid</c>.
    /// </summary>
    public string CreatePatientToken(Guid patientId, string? accountLevel = ConfirmedLevel, bool? consent = true,
        Guid? sessionId = null, string clientId = "web", TimeSpan? lifetime = null) =>
        CreateToken(patientId.ToString(), [PatientRole], ["openid", "health"], new Dictionary<string, object>
        {
            [AccountLevelClaim] = OrOmit(accountLevel),
            [ConsentClaim] = consent is null ? Omit : consent.Value ? "true" : "false",
            ["sid"] = OrOmit(sessionId?.ToString()),
        }, lifetime, clientId);

    /// <summary>
    /// A token from the RFC 8693 exchange: <c>sub</c> the represented person, <c>act.sub</c> the representative,
    /// <c>del</c> the delegation, the scope narrowed to <paramref name="scope"/> (health.delegated.records by default).
    /// </summary>
    public string CreateDelegatedToken(Guid principalId, Guid actorId, Guid delegationId,
        string scope = DelegatedRecordsScope, string? accountLevel = ConfirmedLevel, Guid? sessionId = null,
        string clientId = "web") =>
        CreateToken(principalId.ToString(), [PatientRole], [scope], new Dictionary<string, object>
        {
            ["act"] = new Dictionary<string, string> { ["sub"] = actorId.ToString() },
            ["del"] = delegationId.ToString(),
            [AccountLevelClaim] = OrOmit(accountLevel),
            [ConsentClaim] = Omit,
            ["sid"] = OrOmit(sessionId?.ToString()),
        }, clientId: clientId);

    /// <summary>The claims of a token (no signature check): e.g. its jti and exp, to put it on a deny-list.</summary>
    public static JsonObject ReadPayload(string token) => JsonNode.Parse(DecodePart(token.Split('.')[1]))!.AsObject();

    /// <summary>Signs any payload with the current key and the given header fields (for unusual cases).</summary>
    public string CreateRawToken(JsonObject payload, string typ = "at+jwt", string alg = "RS256", string? kid = null) =>
        Sign(payload, _current, typ, alg, kid);

    // ---- deliberately bad tokens: each one is valid except for the one defect its name says ----

    public string CreateExpiredToken(string sub = "00000000-0000-0000-0000-000000000001", IEnumerable<string>? roles = null, IEnumerable<string>? scopes = null) =>
        CreateToken(sub, roles ?? ["patient"], scopes ?? ["health"], issuedAt: DateTimeOffset.UtcNow.AddHours(-1), lifetime: TimeSpan.FromMinutes(10));

    public string CreateTokenWithWrongAudience(string sub = "00000000-0000-0000-0000-000000000001", IEnumerable<string>? roles = null, IEnumerable<string>? scopes = null) =>
        CreateToken(sub, roles ?? ["patient"], scopes ?? ["health"], audience: "some-other-api");

    public string CreateTokenWithWrongIssuer(string sub = "00000000-0000-0000-0000-000000000001", IEnumerable<string>? roles = null, IEnumerable<string>? scopes = null) =>
        CreateToken(sub, roles ?? ["patient"], scopes ?? ["health"], issuer: "http://evil.example");

    /// <summary><c>alg: none</c> with an empty signature.</summary>
    public string CreateUnsignedToken(string sub = "00000000-0000-0000-0000-000000000001", IEnumerable<string>? roles = null, IEnumerable<string>? scopes = null)
    {
        var parts = CreateToken(sub, roles ?? ["patient"], scopes ?? ["health"]).Split('.');
        var header = new JsonObject { ["alg"] = "none", ["typ"] = "at+jwt" };
        return $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{parts[1]}.";
    }

    /// <summary>Signed by a key the JWKS does not publish (same kid as the real one, to defeat kid-based shortcuts).</summary>
    public string CreateTokenSignedByAnotherKey(string sub = "00000000-0000-0000-0000-000000000001", IEnumerable<string>? roles = null, IEnumerable<string>? scopes = null)
    {
        using var otherRsa = RSA.Create(2048);
        var other = new SigningKey(otherRsa.ExportParameters(true), _current.Kid);
        var payload = JsonNode.Parse(DecodePart(CreateToken(sub, roles ?? ["patient"], scopes ?? ["health"]).Split('.')[1]))!.AsObject();
        return Sign(payload, other);
    }

    /// <summary>An ID token's <c>typ: JWT</c> instead of <c>at+jwt</c>.</summary>
    public string CreateTokenWithWrongType(string sub = "00000000-0000-0000-0000-000000000001", IEnumerable<string>? roles = null, IEnumerable<string>? scopes = null, string typ = "JWT")
    {
        var payload = JsonNode.Parse(DecodePart(CreateToken(sub, roles ?? ["patient"], scopes ?? ["health"]).Split('.')[1]))!.AsObject();
        return Sign(payload, _current, typ: typ);
    }

    /// <summary>HS256 signed with the RSA public key's bytes as the secret (the classic algorithm-confusion attack).</summary>
    public string CreateHs256Token(string sub = "00000000-0000-0000-0000-000000000001", IEnumerable<string>? roles = null, IEnumerable<string>? scopes = null)
    {
        var payload = CreateToken(sub, roles ?? ["patient"], scopes ?? ["health"]).Split('.')[1];
        var header = Base64Url(Encoding.UTF8.GetBytes(new JsonObject { ["alg"] = "HS256", ["typ"] = "at+jwt", ["kid"] = _current.Kid }.ToJsonString()));
        var secret = Encoding.UTF8.GetBytes(JwksJson());
        var signature = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    /// <summary>Token whose signature bytes were altered.</summary>
    public string CreateTamperedToken(string sub = "00000000-0000-0000-0000-000000000001", IEnumerable<string>? roles = null, IEnumerable<string>? scopes = null)
    {
        var parts = CreateToken(sub, roles ?? ["patient"], scopes ?? ["health"]).Split('.');
        var payload = JsonNode.Parse(DecodePart(parts[1]))!.AsObject();
        payload["role"] = "admin"; // claims changed after signing
        return $"{parts[0]}.{Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";
    }

    /// <summary>
    /// Starts signing with a new key (new kid). With <paramref name="keepOldKey"/> the JWKS keeps publishing the old one,
    /// as identity does during rotation; otherwise the old key disappears.
    /// </summary>
    public string RotateKey(bool keepOldKey = true)
    {
        lock (_keysLock)
        {
            var next = SigningKey.Create();
            if (!keepOldKey) _published.Clear();
            _published.Add(next);
            _current = next;
            return next.Kid;
        }
    }

    public string JwksJson()
    {
        lock (_keysLock)
        {
            var keys = new JsonArray(_published.Select(k => (JsonNode?)k.ToJwk()).ToArray());
            return new JsonObject { ["keys"] = keys }.ToJsonString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string Sign(JsonObject payload, SigningKey key, string typ = "at+jwt", string alg = "RS256", string? kid = null)
    {
        var header = new JsonObject { ["alg"] = alg, ["typ"] = typ, ["kid"] = kid ?? key.Kid };
        var signingInput = $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()))}";
        using var rsa = RSA.Create(key.Parameters);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string DecodePart(string part)
    {
        var s = part.Replace('-', '+').Replace('_', '/');
        s += (s.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        return Encoding.UTF8.GetString(Convert.FromBase64String(s));
    }

    private sealed record SigningKey(RSAParameters Parameters, string Kid)
    {
        public static SigningKey Create()
        {
            using var rsa = RSA.Create(2048);
            return new SigningKey(rsa.ExportParameters(true), "test-" + Guid.NewGuid().ToString("N")[..12]);
        }

        public JsonObject ToJwk() => new()
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = Kid,
            ["n"] = Base64Url(Parameters.Modulus!),
            ["e"] = Base64Url(Parameters.Exponent!),
        };
    }
}
