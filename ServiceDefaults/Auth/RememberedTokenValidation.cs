using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gosuslugi.Health.ServiceDefaults.Auth;

/// <summary>
/// JWT validation that remembers, for a short while, the access tokens it has found valid, by their exact text: a
/// client presents one token for all its requests for up to ten minutes, and parsing it and checking its signature again
/// each time is most of what authentication costs (an ES256 verification alone is ~0.1 ms). A remembered token is never
/// used past its own <c>exp</c> nor past <see cref="RememberFor"/>, and only a token that passed every check the first time
/// is remembered. Revocation is unaffected: the deny-list is still asked at every request (OnTokenValidated), after this.
/// The memory is per process and bounded (<see cref="MaxTokens"/>); a full memory only means validating again.
/// </summary>
public sealed class RememberedTokenValidation(TimeProvider time) : JsonWebTokenHandler
{
    /// <summary>How long a validated token is taken as valid without checking it again, at most.</summary>
    public static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(2);

    /// <summary>Tokens remembered at once, at most: ~3 KB each (the text and its claims).</summary>
    public const int MaxTokens = 20_000;

    private readonly MemoryCache _validated = new(new MemoryCacheOptions { SizeLimit = MaxTokens, Clock = null });

    private sealed record Validated(CaseSensitiveClaimsIdentity Identity, SecurityToken Token, string? Issuer, string? TokenType, DateTimeOffset Until);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow();
        if (_validated.TryGetValue(token, out Validated? remembered) && remembered!.Until > now)
        {
            return new TokenValidationResult
            {
                IsValid = true,
                // Each request gets its own copy: handlers downstream may add claims to theirs.
                ClaimsIdentity = new CaseSensitiveClaimsIdentity(remembered.Identity),
                SecurityToken = remembered.Token,
                Issuer = remembered.Issuer,
                TokenType = remembered.TokenType,
            };
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result is { IsValid: true, ClaimsIdentity: { } identity, SecurityToken: { } validated })
        {
            var expires = new DateTimeOffset(validated.ValidTo, TimeSpan.Zero);
            var until = now + RememberFor < expires ? now + RememberFor : expires;
            if (until > now)
            {
                _validated.Set(token, new Validated(new CaseSensitiveClaimsIdentity(identity), validated, result.Issuer, result.TokenType, until),
                    new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = until });
            }
        }
        return result;
    }
}
