using System.Security.Cryptography;
using System.Text;
using Gosuslugi.Health.Identity.Security;

namespace Gosuslugi.Health.Identity.Tests.Security;

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
        var step = Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixTime));

        step.ShouldBe(expectedStep);
        Totp.Compute(Sha1Seed, step, 8, HashAlgorithmName.SHA1).ShouldBe(sha1);
        Totp.Compute(Sha256Seed, step, 8, HashAlgorithmName.SHA256).ShouldBe(sha256);
        Totp.Compute(Sha512Seed, step, 8, HashAlgorithmName.SHA512).ShouldBe(sha512);
    }

    [Theory]
    [MemberData(nameof(Rfc6238Vectors))]
    public void Six_digit_codes_of_the_base32_secret_are_the_last_six_digits_of_the_rfc_vectors(long unixTime, long step, string sha1, string sha256, string sha512)
    {
        _ = (sha256, sha512);
        var secret = Base32.Encode(Sha1Seed);

        Totp.Compute(secret, step).ShouldBe(sha1[^6..]);
        Totp.TryMatch(secret, sha1[^6..], DateTimeOffset.FromUnixTimeSeconds(unixTime), out var matched).ShouldBeTrue();
        matched.ShouldBe(step);
    }

    [Fact]
    public void Codes_one_step_either_side_are_accepted_and_report_their_step()
    {
        var secret = Totp.NewSecret();
        var now = DateTimeOffset.FromUnixTimeSeconds(1_750_000_015);
        var current = Totp.StepAt(now);

        foreach (var drift in new[] { -1, 0, 1 })
        {
            Totp.TryMatch(secret, Totp.Compute(secret, current + drift), now, out var step).ShouldBeTrue($"drift {drift}");
            step.ShouldBe(current + drift);
        }
    }

    [Fact]
    public void Codes_two_or_more_steps_away_are_refused()
    {
        var secret = Totp.NewSecret();
        var now = DateTimeOffset.FromUnixTimeSeconds(1_750_000_015);
        var current = Totp.StepAt(now);

        foreach (var drift in new[] { -10, -2, 2, 10 })
        {
            var code = Totp.Compute(secret, current + drift);
            // Another step may share the code by chance (one in a million); only refuse when none of the window does.
            var collides = Enumerable.Range(-1, 3).Any(d => Totp.Compute(secret, current + d) == code);
            if (!collides) Totp.TryMatch(secret, code, now, out _).ShouldBeFalse($"drift {drift}");
        }
    }

    [Fact]
    public void Step_boundaries_are_thirty_seconds_apart()
    {
        Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(0)).ShouldBe(0);
        Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(29)).ShouldBe(0);
        Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(30)).ShouldBe(1);
        Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(59)).ShouldBe(1);
        Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(60)).ShouldBe(2);
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
        Totp.TryMatch(Totp.NewSecret(), code, DateTimeOffset.UtcNow, out _).ShouldBeFalse();
    }

    [Fact]
    public void A_malformed_secret_matches_nothing()
    {
        Totp.TryMatch("not base32!", "123456", DateTimeOffset.UtcNow, out _).ShouldBeFalse();
    }

    [Fact]
    public void New_secrets_are_160_bit_base32_and_differ()
    {
        var first = Totp.NewSecret();
        var second = Totp.NewSecret();

        first.Length.ShouldBe(32);
        Base32.Decode(first).Length.ShouldBe(20);
        first.ShouldNotBe(second);
    }

    [Fact]
    public void Provisioning_uri_names_the_issuer_account_and_parameters()
    {
        var uri = new Uri(Totp.ProvisioningUri("JBSWY3DPEHPK3PXP", "+79123456789"));

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

public sealed class Base32Tests
{
    /// <summary>RFC 4648 §10 test vectors (encoding without padding).</summary>
    [Theory]
    [InlineData("", "")]
    [InlineData("f", "MY")]
    [InlineData("fo", "MZXQ")]
    [InlineData("foo", "MZXW6")]
    [InlineData("foob", "MZXW6YQ")]
    [InlineData("fooba", "MZXW6YTB")]
    [InlineData("foobar", "MZXW6YTBOI")]
    public void Rfc4648_vectors(string text, string base32)
    {
        var bytes = Encoding.ASCII.GetBytes(text);

        Base32.Encode(bytes).ShouldBe(base32);
        Base32.Decode(base32).ShouldBe(bytes);
    }

    [Fact]
    public void Decoding_tolerates_what_people_type()
    {
        Base32.Decode("mzxw 6ytb-oi======").ShouldBe(Encoding.ASCII.GetBytes("foobar"));
    }

    [Theory]
    [InlineData("MZXW1")]
    [InlineData("MZ=XW")]
    [InlineData("MZXW!")]
    public void Invalid_text_is_refused(string text)
    {
        Base32.TryDecode(text, out _).ShouldBeFalse();
    }

    [Fact]
    public void Round_trips_random_bytes()
    {
        for (var length = 0; length < 40; length++)
        {
            var bytes = RandomNumberGenerator.GetBytes(length);
            Base32.Decode(Base32.Encode(bytes)).ShouldBe(bytes);
        }
    }
}
