using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Tokens;
using Gosuslugi.Health.Contracts;

namespace Gosuslugi.Health.Identity.Tests;

public sealed class SnilsAndPkceTests
{
    [Theory]
    [InlineData("112-233-445 95", "11223344595")]
    [InlineData("11223344595", "11223344595")]
    [InlineData(" 112 233 445 95 ", "11223344595")]
    [InlineData("001-001-998 00", "00100199800")] // issued before checksums existed
    public void A_valid_snils_is_normalized_to_11_digits(string input, string expected)
    {
        Snils.TryNormalize(input, out var snils).ShouldBeTrue();
        snils.ShouldBe(expected);
    }

    [Theory]
    [InlineData("112-233-445 96")]
    [InlineData("1122334459")]
    [InlineData("112233445951")]
    [InlineData("112-233-445 9a")]
    [InlineData("")]
    [InlineData(null)]
    public void An_invalid_snils_is_refused(string? input) => Snils.IsValid(input).ShouldBeFalse();

    [Fact]
    public void Generated_snils_are_valid()
    {
        for (var i = 0; i < 1000; i++)
        {
            var snils = Snils.Generate();
            Snils.IsValid(snils).ShouldBeTrue(snils);
        }
    }

    [Fact]
    public void Snils_is_shown_in_its_usual_form() => Snils.Format("11223344595").ShouldBe("112-233-445 95");

    [Fact]
    public void Client_secrets_are_hashed_with_a_salt_and_verified()
    {
        var hash = SecretHasher.HashClientSecret("s3cret");
        hash.ShouldStartWith("pbkdf2-sha256$");
        SecretHasher.HashClientSecret("s3cret").ShouldNotBe(hash);
        SecretHasher.VerifyClientSecret("s3cret", hash).ShouldBeTrue();
        SecretHasher.VerifyClientSecret("s3cret!", hash).ShouldBeFalse();
        SecretHasher.VerifyClientSecret("s3cret", null).ShouldBeFalse();
    }

    [Fact]
    public void A_verified_client_secret_is_remembered_only_for_its_stored_hash_and_only_for_a_while()
    {
        var clock = new Security.ManualClock();
        var secrets = new VerifiedClientSecrets(clock);
        var hash = SecretHasher.HashClientSecret("s3cret");

        secrets.Verify("wrong", hash).ShouldBeFalse();
        secrets.Verify("s3cret", hash).ShouldBeTrue();
        secrets.Verify("s3cret", hash).ShouldBeTrue(); // remembered
        secrets.Verify("s3cret!", hash).ShouldBeFalse();
        // A new secret (new stored hash): the old one, though remembered, no longer opens anything.
        secrets.Verify("s3cret", SecretHasher.HashClientSecret("n3w")).ShouldBeFalse();

        clock.Advance(VerifiedClientSecrets.RememberFor + TimeSpan.FromSeconds(1));
        secrets.Verify("s3cret", hash).ShouldBeTrue("verified again by its hash after the window");
    }
}
