using System.Security.Cryptography;
using System.Xml.Linq;
using Gosuslugi.Health.ServiceDefaults.Hsm;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shouldly;
using Xunit;

namespace Gosuslugi.Health.ServiceDefaults.Tests;

/// <summary>The PKCS#11 layer against a real SoftHSM2 token of its own.</summary>
public sealed class HsmTests : IDisposable
{
    private readonly Pkcs11Hsm _hsm = NewHsm(TestHsm.NewTokenSettings("hsm-tests"));

    private static Pkcs11Hsm NewHsm(Dictionary<string, string?> settings)
    {
        var options = new HsmOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(HsmOptions.Section).Bind(options);
        return new Pkcs11Hsm(Options.Create(options), NullLogger<Pkcs11Hsm>.Instance, new TestMeterFactory());
    }

    [Fact]
    public void A_token_is_initialised_on_first_use_and_found_again_by_its_label()
    {
        var settings = TestHsm.NewTokenSettings("hsm-reopen");
        using (var first = NewHsm(settings)) first.GenerateRsaKeyPair("reopened", 2048);

        using var second = NewHsm(settings);
        second.FindRsaKey("reopened").ShouldNotBeNull().KeySize.ShouldBe(2048);
        second.FindRsaKey("absent").ShouldBeNull();
    }

    [Fact]
    public void A_wrong_pin_is_an_unavailable_hsm_not_a_crash()
    {
        var settings = TestHsm.NewTokenSettings("hsm-pin");
        using (var first = NewHsm(settings)) first.EnsureReachable();
        settings["Hsm:UserPin"] = "wrong-pin";
        settings["Hsm:InitializeWithSoPin"] = null;

        using var wrong = NewHsm(settings);
        Should.Throw<HsmUnavailableException>(wrong.EnsureReachable);
    }

    [Fact]
    public async Task An_rsa_key_signs_a_jwt_inside_the_hsm_and_its_private_half_cannot_be_read()
    {
        using var rsa = _hsm.GenerateRsaKeyPair("jwt-signing", 3072);
        var key = new RsaSecurityKey(rsa) { KeyId = "k1" };

        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://issuer", Audience = "api", Claims = new Dictionary<string, object> { ["sub"] = "42" },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });

        using var publicOnly = RSA.Create(rsa.ExportParameters(false));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "https://issuer", ValidAudience = "api", IssuerSigningKey = new RsaSecurityKey(publicOnly) { KeyId = "k1" },
        });
        result.IsValid.ShouldBeTrue(result.Exception?.Message);

        Should.Throw<CryptographicException>(() => rsa.ExportParameters(includePrivateParameters: true));
        _hsm.IsExtractable("jwt-signing").ShouldBeFalse();
        _hsm.DrainUsage().ShouldContain(new HsmKeyUse("jwt-signing", Pkcs11Hsm.Sign, 1));
        _hsm.DrainUsage().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_p256_key_signs_an_es256_jwt_inside_the_hsm_and_its_private_half_cannot_be_read()
    {
        using var ecdsa = _hsm.GenerateEcKeyPair("es256-signing");
        ecdsa.KeySize.ShouldBe(256);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://issuer", Audience = "api", Claims = new Dictionary<string, object> { ["sub"] = "42" },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = "e1" }, SecurityAlgorithms.EcdsaSha256),
        });

        // Verified with nothing but the public point, as the JWKS gives it, and found again by its label.
        using var found = _hsm.FindEcKey("es256-signing").ShouldNotBeNull();
        using var publicOnly = ECDsa.Create(found.ExportParameters(false));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "https://issuer", ValidAudience = "api", IssuerSigningKey = new ECDsaSecurityKey(publicOnly) { KeyId = "e1" },
        });
        result.IsValid.ShouldBeTrue(result.Exception?.Message);

        Should.Throw<CryptographicException>(() => ecdsa.ExportParameters(includePrivateParameters: true));
        _hsm.IsExtractable("es256-signing").ShouldBeFalse();
        _hsm.FindEcKey("absent").ShouldBeNull();
        _hsm.DrainUsage().ShouldContain(new HsmKeyUse("es256-signing", Pkcs11Hsm.Sign, 1));
    }

    [Fact]
    public void Wrapping_round_trips_and_refuses_a_changed_byte_other_associated_data_or_another_key()
    {
        _hsm.EnsureAesKey("kek-a");
        _hsm.EnsureAesKey("kek-b");
        _hsm.EnsureAesKey("kek-a"); // idempotent
        var secret = RandomNumberGenerator.GetBytes(32);
        var wrapped = _hsm.WrapWith("kek-a", secret, "patient-1"u8);

        _hsm.UnwrapWith("kek-a", wrapped, "patient-1"u8).ShouldBe(secret);
        _hsm.WrapWith("kek-a", secret, "patient-1"u8).ShouldNotBe(wrapped); // a fresh nonce every time

        var changed = wrapped.ToArray();
        changed[^1] ^= 1;
        Should.Throw<CryptographicException>(() => _hsm.UnwrapWith("kek-a", changed, "patient-1"u8));
        Should.Throw<CryptographicException>(() => _hsm.UnwrapWith("kek-a", wrapped, "patient-2"u8));
        Should.Throw<CryptographicException>(() => _hsm.UnwrapWith("kek-b", wrapped, "patient-1"u8));
        Should.Throw<HsmUnavailableException>(() => _hsm.UnwrapWith("kek-missing", wrapped, "patient-1"u8));
    }

    [Fact]
    public void An_hmac_key_made_inside_the_hsm_gives_the_same_mac_for_the_same_input_and_every_use_is_counted()
    {
        _hsm.HasSecretKey("index-a").ShouldBeFalse();
        _hsm.EnsureHmacKey("index-a");
        _hsm.EnsureHmacKey("index-b");
        _hsm.EnsureHmacKey("index-a"); // idempotent
        _hsm.HasSecretKey("index-a").ShouldBeTrue();
        _hsm.DrainUsage();

        var mac = _hsm.HmacSha256("index-a", "1234567890123456"u8);
        mac.Length.ShouldBe(32);
        _hsm.HmacSha256("index-a", "1234567890123456"u8).ShouldBe(mac, "a blind index must be deterministic");
        _hsm.HmacSha256("index-a", "1234567890123457"u8).ShouldNotBe(mac);
        _hsm.HmacSha256("index-b", "1234567890123456"u8).ShouldNotBe(mac, "another key, another index");
        SHA256.HashData("1234567890123456"u8).ShouldNotBe(mac);
        Should.Throw<HsmUnavailableException>(() => _hsm.HmacSha256("index-missing", "1234567890123456"u8));

        _hsm.DrainUsage().ShouldBe([new HsmKeyUse("index-a", Pkcs11Hsm.Mac, 3), new HsmKeyUse("index-b", Pkcs11Hsm.Mac, 1)], ignoreOrder: true);
    }

    [Fact]
    public void The_data_protection_key_ring_is_stored_encrypted_and_decrypts_back()
    {
        var key = new XElement("key", new XElement("masterKey", "c2VjcmV0LWtleS1tYXRlcmlhbA=="));
        var encrypted = new HsmXmlEncryptor(_hsm).Encrypt(key);

        encrypted.EncryptedElement.ToString().ShouldNotContain("c2VjcmV0LWtleS1tYXRlcmlhbA");
        var services = new ServiceCollection().AddSingleton(_hsm).BuildServiceProvider();
        new HsmXmlDecryptor(services).Decrypt(encrypted.EncryptedElement).ToString().ShouldBe(key.ToString());
    }

    [Fact]
    public async Task Signing_from_many_threads_at_once_uses_pooled_sessions_safely()
    {
        using var rsa = _hsm.GenerateRsaKeyPair("parallel", 2048);
        var data = "payload"u8.ToArray();
        var signatures = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))));
        signatures.ShouldAllBe(s => rsa.VerifyData(data, s, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public void Dispose() => _hsm.Dispose();

    private sealed class TestMeterFactory : System.Diagnostics.Metrics.IMeterFactory
    {
        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options);
        public void Dispose() { }
    }
}
