using System.Text;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.TestInfrastructure.Oidc;
using OtpNet;

namespace Gosuslugi.Health.Identity.Tests.Security;

/// <summary>
/// identity's authenticator-app codes are Otp.NET's: the RFC's vectors check the library as identity calls it, and the
/// test authenticator (written apart from both) checks the service's parameters.
/// </summary>
public sealed class TotpTests
{
    private static readonly byte[] Sha1Seed = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly byte[] Sha256Seed = Encoding.ASCII.GetBytes("12345678901234567890123456789012");
    private static readonly byte[] Sha512Seed = Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234");

    /// <summary>RFC 6238 Appendix B: time (Unix seconds), step (hex), then the 8-digit TOTP for SHA1, SHA256, SHA512.</summary>
    public static TheoryData<long, long, string, string, string> Rfc6238Vectors => new()
    {
        { 59, 0x1, "94287082", "46119246", "90693936" },
        { 1111111109, 0x23523EC, "07081804", "68084774", "25091201" },
        { 1111111111, 0x23523ED, "14050471", "67062674", "99943326" },
        { 1234567890, 0x273EF07, "89005924", "91819424", "93441116" },
        { 2000000000, 0x3F940AA, "69279037", "90698825", "38618901" },
        { 20000000000, 0x27BC86AA, "65353130", "77737706", "47863826" },
    };

    [Theory]
    [MemberData(nameof(Rfc6238Vectors))]
    public void Rfc6238_appendix_b_vectors(long unixTime, long expectedStep, string sha1, string sha256, string sha512)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(unixTime).UtcDateTime;
        string Code(byte[] seed, OtpHashMode mode) => new Totp(seed, TotpCodes.StepSeconds, mode, totpSize: 8).ComputeTotp(time);

        Code(Sha1Seed, OtpHashMode.Sha1).ShouldBe(sha1);
        Code(Sha256Seed, OtpHashMode.Sha256).ShouldBe(sha256);
        Code(Sha512Seed, OtpHashMode.Sha512).ShouldBe(sha512);
        new Totp(Sha1Seed, TotpCodes.StepSeconds, OtpHashMode.Sha1, totpSize: 8).VerifyTotp(time, sha1, out var step).ShouldBeTrue();
        step.ShouldBe(expectedStep);
    }

    [Theory]
    [MemberData(nameof(Rfc6238Vectors))]
    public void Six_digit_codes_of_the_base32_secret_are_the_last_six_digits_of_the_rfc_vectors(long unixTime, long step, string sha1, string sha256, string sha512)
    {
        _ = (sha256, sha512);
        var secret = Base32Encoding.ToString(Sha1Seed);

        Authenticator.CodeOfStep(secret, step).ShouldBe(sha1[^6..]);
        TotpCodes.TryMatch(secret, sha1[^6..], DateTimeOffset.FromUnixTimeSeconds(unixTime), out var matched).ShouldBeTrue();
        matched.ShouldBe(step);
    }

    [Fact]
    public void Codes_one_step_either_side_are_accepted_and_report_their_step()
    {
        var secret = TotpCodes.NewSecret();
        var now = DateTimeOffset.FromUnixTimeSeconds(1_750_000_015);
        var current = Authenticator.StepAt(now);

        foreach (var drift in new[] { -1, 0, 1 })
        {
            var code = Authenticator.CodeOfStep(secret, current + drift);
            TotpCodes.TryMatch(secret, code, now, out var step).ShouldBeTrue($"drift {drift}");
            // Another step of the window may share the code by chance (one in a million): then it may report that one.
            if (Enumerable.Range(-1, 3).Count(d => Authenticator.CodeOfStep(secret, current + d) == code) == 1) step.ShouldBe(current + drift);
        }
    }

    [Fact]
    public void Codes_two_or_more_steps_away_are_refused()
    {
        var secret = TotpCodes.NewSecret();
        var now = DateTimeOffset.FromUnixTimeSeconds(1_750_000_015);
        var current = Authenticator.StepAt(now);

        foreach (var drift in new[] { -10, -2, 2, 10 })
        {
            var code = Authenticator.CodeOfStep(secret, current + drift);
            // Another step may share the code by chance (one in a million); only refuse when none of the window does.
            var collides = Enumerable.Range(-1, 3).Any(d => Authenticator.CodeOfStep(secret, current + d) == code);
            if (!collides) TotpCodes.TryMatch(secret, code, now, out _).ShouldBeFalse($"drift {drift}");
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(29, 0)]
    [InlineData(30, 1)]
    [InlineData(59, 1)]
    [InlineData(60, 2)]
    public void Step_boundaries_are_thirty_seconds_apart(long unixTime, long expectedStep)
    {
        var secret = Base32Encoding.ToString(Sha1Seed);

        TotpCodes.TryMatch(secret, Authenticator.CodeOfStep(secret, expectedStep), DateTimeOffset.FromUnixTimeSeconds(unixTime), out var step)
            .ShouldBeTrue();
        step.ShouldBe(expectedStep);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12 456")]
    [InlineData("abcdef")]
    [InlineData("１２３４５６")] // full-width digits are not ASCII digits
    public void Malformed_codes_are_refused(string code)
    {
        TotpCodes.TryMatch(TotpCodes.NewSecret(), code, DateTimeOffset.UtcNow, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("not base32!")]
    [InlineData("")]
    public void A_malformed_secret_matches_nothing(string secret)
    {
        TotpCodes.TryMatch(secret, "123456", DateTimeOffset.UtcNow, out _).ShouldBeFalse();
    }

    [Fact]
    public void New_secrets_are_160_bit_base32_without_padding_and_differ()
    {
        var first = TotpCodes.NewSecret();
        var second = TotpCodes.NewSecret();

        first.Length.ShouldBe(32);
        first.ShouldNotContain('=');
        first.ShouldAllBe(c => (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'));
        Base32Encoding.ToBytes(first).Length.ShouldBe(20);
        first.ShouldNotBe(second);
    }

    [Fact]
    public void A_secret_is_read_in_lower_case_too()
    {
        var secret = Base32Encoding.ToString(Sha1Seed);
        var code = Authenticator.CodeAt(secret, DateTimeOffset.FromUnixTimeSeconds(59));

        TotpCodes.TryMatch(secret.ToLowerInvariant(), code, DateTimeOffset.FromUnixTimeSeconds(59), out _).ShouldBeTrue();
    }

    [Fact]
    public void Provisioning_uri_names_the_issuer_account_and_parameters()
    {
        var uri = new Uri(TotpCodes.ProvisioningUri("JBSWY3DPEHPK3PXP", "+79123456789"));

        uri.Scheme.ShouldBe("otpauth");
        uri.Host.ShouldBe("totp");
        Uri.UnescapeDataString(uri.AbsolutePath).ShouldBe("/Госуслуги.Здоровье:+79123456789");
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        query["secret"].ShouldBe("JBSWY3DPEHPK3PXP");
        query["issuer"].ShouldBe("Госуслуги.Здоровье");
        query["algorithm"].ShouldBe("SHA1");
        query["digits"].ShouldBe("6");
        query["period"].ShouldBe("30");
    }
}
