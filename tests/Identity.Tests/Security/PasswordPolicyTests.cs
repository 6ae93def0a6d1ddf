using System.Buffers.Binary;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Identity.Tests.Security;

public sealed class PasswordPolicyTests
{
    private static HealthUser User() => new()
    {
        FamilyName = "Иванова",
        GivenName = "Мария",
        UserName = "maria.ivanova",
        Email = "Maria.Ivanova@example.ru",
        PhoneNumber = "+79123456789",
        Snils = "11223344595",
    };

    private static string[] Codes(string password, HealthUser? user = null) =>
        [.. PasswordPolicy.Check(password, user).Select(e => e.Code)];

    [Theory]
    [InlineData("")]
    [InlineData("a1b2c3d")]
    [InlineData("ёжик в")]
    public void Fewer_than_eight_characters_are_refused(string password)
    {
        Codes(password).ShouldBe(["PasswordTooShort"]);
    }

    [Fact]
    public void Eight_characters_without_any_composition_are_enough()
    {
        Codes("tiptoedx").ShouldBeEmpty();     // lower case only
        Codes("ёлкипалки").ShouldBeEmpty();    // Cyrillic
        Codes("зима    лето").ShouldBeEmpty(); // spaces are characters
    }

    [Fact]
    public void Length_counts_code_points_not_utf16_units()
    {
        // Seven emoji are 14 UTF-16 units but 7 characters.
        Codes("😀😁😂🤣😃😄😅").ShouldBe(["PasswordTooShort"]);
        Codes("😀😁😂🤣😃😄😅😆").ShouldBeEmpty();
    }

    [Fact]
    public void Up_to_128_characters_are_allowed_and_more_refused()
    {
        Codes(new string('я', 64) + new string('z', 64)).ShouldBeEmpty();
        Codes(new string('я', 129)).ShouldBe(["PasswordTooLong"]);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("PASSWORD")]
    [InlineData("Qwertyuiop")]
    [InlineData("1q2w3e4r")]
    [InlineData("iloveyou")]
    [InlineData("12345678")]
    [InlineData("ｐａｓｓｗｏｒｄ")] // full-width: NFKC makes it "password"
    public void Common_passwords_are_refused_with_a_russian_explanation(string password)
    {
        var errors = PasswordPolicy.Check(password, null);

        errors.Select(e => e.Code).ShouldBe(["PasswordTooCommon"]);
        errors[0].Description.ShouldStartWith("Пароль слишком распространён");
    }

    [Fact]
    public void The_common_list_is_embedded_and_large_enough()
    {
        PasswordPolicy.CommonPasswords.Count.ShouldBeGreaterThanOrEqualTo(3_000);
        PasswordPolicy.CommonPasswords.ShouldAllBe(p => p.Length >= PasswordPolicy.MinimumLength && p == p.ToLowerInvariant());
    }

    [Theory]
    [InlineData("maria.ivanova")]
    [InlineData("MARIA.IVANOVA")]
    [InlineData("maria.ivanova@example.ru")]
    [InlineData("+79123456789")]
    [InlineData("8 (912) 345-67-89")]
    [InlineData("89123456789")]
    [InlineData("11223344595")]
    public void A_password_equal_to_the_login_phone_email_or_snils_is_refused(string password)
    {
        Codes(password, User()).ShouldContain("PasswordMatchesAccount");
    }

    [Fact]
    public void A_password_that_merely_contains_the_login_is_allowed()
    {
        Codes("maria.ivanova и её кот Барсик", User()).ShouldBeEmpty();
    }

    [Fact]
    public void A_lone_surrogate_is_refused()
    {
        Codes("abcdefgh\ud800").ShouldBe(["PasswordInvalidCharacters"]);
    }

    [Fact]
    public void Every_error_is_described_in_russian()
    {
        foreach (var error in new[] { PasswordPolicy.TooShort, PasswordPolicy.TooLong, PasswordPolicy.TooCommon, PasswordPolicy.MatchesAccountError, PasswordPolicy.InvalidCharacters })
            error.Description.ShouldMatch("^Пароль");
    }
}

/// <summary>The policy and hashing as the running service has them (its own DI), with demo data seeded under them.</summary>
[Collection(IdentityCollection.Name)]
public sealed class PasswordStorageTests(IdentityServiceFixture fixture)
{
    [Fact]
    public async Task Hashes_are_identity_v3_pbkdf2_hmac_sha512_with_210000_iterations()
    {
        var hash = await fixture.WithScopeAsync(sp => Task.FromResult(
            sp.GetRequiredService<IPasswordHasher<HealthUser>>().HashPassword(new HealthUser { FamilyName = "Т", GivenName = "Т" }, "корректная лошадь батарейка")));

        var bytes = Convert.FromBase64String(hash);
        bytes[0].ShouldBe((byte)0x01);                                                          // format marker: V3
        BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)).ShouldBe(2u);                      // PRF: KeyDerivationPrf.HMACSHA512
        BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)).ShouldBe(210_000u);                // iterations
        var saltLength = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9));
        saltLength.ShouldBeGreaterThanOrEqualTo(16);
        (bytes.Length - 13 - saltLength).ShouldBeGreaterThanOrEqualTo(32);                       // subkey
    }

    [Fact]
    public async Task A_password_verifies_in_any_unicode_composition()
    {
        var user = new HealthUser { FamilyName = "Т", GivenName = "Т" };
        var composed = "Ёлки-палки, лес густой";
        var decomposed = composed.Normalize(System.Text.NormalizationForm.FormD);
        decomposed.ShouldNotBe(composed);

        var result = await fixture.WithScopeAsync(sp =>
        {
            var hasher = sp.GetRequiredService<IPasswordHasher<HealthUser>>();
            return Task.FromResult(hasher.VerifyHashedPassword(user, hasher.HashPassword(user, composed), decomposed));
        });

        result.ShouldBe(PasswordVerificationResult.Success);
    }

    [Fact]
    public async Task A_hash_with_fewer_iterations_verifies_and_asks_for_a_rehash()
    {
        var user = new HealthUser { FamilyName = "Т", GivenName = "Т" };
        var old = new PasswordHasher<HealthUser>(Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = 100_000 }))
            .HashPassword(user, "старый добрый пароль");

        var result = await fixture.WithScopeAsync(sp =>
            Task.FromResult(sp.GetRequiredService<IPasswordHasher<HealthUser>>().VerifyHashedPassword(user, old, "старый добрый пароль")));

        result.ShouldBe(PasswordVerificationResult.SuccessRehashNeeded);
    }

    [Fact]
    public async Task The_service_refuses_a_common_password_through_user_manager()
    {
        var result = await fixture.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<HealthUser>>();
            return await users.CreateAsync(new HealthUser { FamilyName = "Т", GivenName = "Т", UserName = "pp-" + Guid.NewGuid().ToString("N") }, "qwertyuiop");
        });

        result.Succeeded.ShouldBeFalse();
        result.Errors.Select(e => e.Code).ShouldBe(["PasswordTooCommon"]);
    }

    [Fact]
    public async Task The_service_accepts_a_long_lower_case_passphrase()
    {
        var result = await fixture.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<HealthUser>>();
            return await users.CreateAsync(new HealthUser { FamilyName = "Т", GivenName = "Т", UserName = "pp-" + Guid.NewGuid().ToString("N") }, "в лесу родилась ёлочка, в лесу она росла");
        });

        result.Succeeded.ShouldBeTrue();
    }
}
