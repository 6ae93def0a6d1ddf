using System.Security.Cryptography;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shouldly;
using Xunit;

namespace Gosuslugi.Health.ServiceDefaults.Tests;

/// <summary>
/// A token found valid is taken as valid again without its signature being checked, for at most two minutes and never
/// past its exp; nothing else is remembered. (That the deny-list is still asked each time: TokenDenyListTests.)
/// </summary>
public sealed class RememberedTokenValidationTests : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private TokenValidationParameters Parameters(bool withKey) => new()
    {
        ValidIssuer = "https://issuer",
        ValidAudience = "api",
        IssuerSigningKey = withKey ? new ECDsaSecurityKey(ECDsa.Create(_key.ExportParameters(false))) { KeyId = "k" } : null,
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        ValidTypes = ["at+jwt"],
    };

    private string Token(TimeSpan lifetime, string subject = "42") => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "https://issuer",
        Audience = "api",
        TokenType = "at+jwt",
        Claims = new Dictionary<string, object> { ["sub"] = subject },
        Expires = DateTime.UtcNow + lifetime,
        SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(_key) { KeyId = "k" }, SecurityAlgorithms.EcdsaSha256),
    });

    [Fact]
    public async Task A_valid_token_is_remembered_for_two_minutes_with_a_copy_of_its_claims_each_time()
    {
        var validation = new RememberedTokenValidation(_time);
        var token = Token(TimeSpan.FromMinutes(10));
        var first = await validation.ValidateTokenAsync(token, Parameters(withKey: true));
        first.IsValid.ShouldBeTrue(first.Exception?.Message);

        // No key given: only the memory can say it is valid.
        var again = await validation.ValidateTokenAsync(token, Parameters(withKey: false));
        again.IsValid.ShouldBeTrue();
        again.ClaimsIdentity.FindFirst("sub")!.Value.ShouldBe("42");
        again.ClaimsIdentity.ShouldNotBeSameAs(first.ClaimsIdentity);
        again.SecurityToken.ShouldBeOfType<JsonWebToken>().Subject.ShouldBe("42");

        _time.Advance(RememberedTokenValidation.RememberFor + TimeSpan.FromSeconds(1));
        (await validation.ValidateTokenAsync(token, Parameters(withKey: false))).IsValid.ShouldBeFalse("checked again after two minutes");
    }

    [Fact]
    public async Task A_token_is_never_remembered_past_its_expiry()
    {
        var validation = new RememberedTokenValidation(_time);
        var token = Token(TimeSpan.FromSeconds(30));
        (await validation.ValidateTokenAsync(token, Parameters(withKey: true))).IsValid.ShouldBeTrue();

        _time.Advance(TimeSpan.FromSeconds(31));
        (await validation.ValidateTokenAsync(token, Parameters(withKey: false))).IsValid.ShouldBeFalse();
    }

    [Fact]
    public async Task A_refused_token_or_another_token_is_not_taken_from_memory()
    {
        var validation = new RememberedTokenValidation(_time);
        var token = Token(TimeSpan.FromMinutes(10));
        (await validation.ValidateTokenAsync(token, Parameters(withKey: false))).IsValid.ShouldBeFalse();
        (await validation.ValidateTokenAsync(token, Parameters(withKey: false))).IsValid.ShouldBeFalse("a failure is not remembered");

        (await validation.ValidateTokenAsync(token, Parameters(withKey: true))).IsValid.ShouldBeTrue();
        var other = Token(TimeSpan.FromMinutes(10), subject: "43");
        (await validation.ValidateTokenAsync(other, Parameters(withKey: false))).IsValid.ShouldBeFalse("only the exact text is remembered");
        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        (await validation.ValidateTokenAsync(tampered, Parameters(withKey: false))).IsValid.ShouldBeFalse();
    }

    public void Dispose() => _key.Dispose();
}
