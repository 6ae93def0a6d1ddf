using System.Buffers.Text;
using System.Text.Json;
using Gosuslugi.Health.ServiceDefaults.Caching;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Passkeys;

/// <summary>What a WebAuthn ceremony does: registers a new passkey, or proves possession of one.</summary>
public enum PasskeyCeremony
{
    Creation,
    Assertion,
}

/// <summary>
/// Keeps Identity's ceremony state (the challenge and who it was issued to) between the options and the
/// browser's answer. <see cref="SignInManager{TUser}"/> would park it in the TwoFactorUserId cookie, but the
/// account API is called with bearer tokens through the gateway and the sign-in cookie is confined to
/// <c>/connect</c>; so the state lives in Redis instead, keyed by the person and the challenge the browser
/// signs, and is taken exactly once: an answer cannot be replayed, and several ceremonies (two tabs) do not
/// overwrite each other.
/// </summary>
public sealed class PasskeyCeremonies(IKeyValueStore store, IOptions<IdentityPasskeyOptions> options)
{
    /// <summary>32 random bytes are 43 base64url characters; anything much longer is not our challenge.</summary>
    private const int MaxChallengeLength = 128;

    /// <summary>The browser's own timeout plus a minute for the answer to travel back.</summary>
    private TimeSpan Lifetime => options.Value.AuthenticatorTimeout + TimeSpan.FromMinutes(1);

    /// <summary>Remembers <paramref name="state"/> for the challenge in <paramref name="optionsJson"/>.</summary>
    public async Task RememberAsync(PasskeyCeremony ceremony, Guid userId, string optionsJson, string? state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var document = JsonDocument.Parse(optionsJson);
        var challenge = document.RootElement.GetProperty("challenge").GetString();
        if (!IsChallenge(challenge)) throw new InvalidOperationException("Identity produced passkey options without a challenge.");
        await store.SetAsync(Key(ceremony, userId, challenge!), state, Lifetime, ct);
    }

    /// <summary>
    /// Takes (and so ends) the state of the ceremony that <paramref name="credentialJson"/> answers; null when
    /// the answer is malformed, names a challenge this person was not given, or comes too late or twice.
    /// </summary>
    public async Task<string?> TakeAsync(PasskeyCeremony ceremony, Guid userId, string credentialJson, CancellationToken ct)
    {
        var challenge = ChallengeOf(credentialJson);
        return challenge is null ? null : await store.TakeAsync(Key(ceremony, userId, challenge), ct);
    }

    /// <summary>The challenge the authenticator signed: <c>response.clientDataJSON.challenge</c>.</summary>
    private static string? ChallengeOf(string credentialJson)
    {
        try
        {
            using var credential = JsonDocument.Parse(credentialJson);
            if (credential.RootElement.ValueKind != JsonValueKind.Object
                || !credential.RootElement.TryGetProperty("response", out var response)
                || response.ValueKind != JsonValueKind.Object
                || !response.TryGetProperty("clientDataJSON", out var encoded)
                || encoded.ValueKind != JsonValueKind.String)
            {
                return null;
            }
            using var clientData = JsonDocument.Parse(Base64Url.DecodeFromChars(encoded.GetString()));
            return clientData.RootElement.ValueKind == JsonValueKind.Object
                   && clientData.RootElement.TryGetProperty("challenge", out var challenge)
                   && challenge.ValueKind == JsonValueKind.String
                   && IsChallenge(challenge.GetString())
                ? challenge.GetString()
                : null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Base64url characters only, so that the browser's text cannot shape the cache key.</summary>
    private static bool IsChallenge(string? value) =>
        value is { Length: > 0 and <= MaxChallengeLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Key(PasskeyCeremony ceremony, Guid userId, string challenge) =>
        $"passkeys:{(ceremony == PasskeyCeremony.Creation ? "create" : "get")}:{userId:N}:{challenge}";
}
