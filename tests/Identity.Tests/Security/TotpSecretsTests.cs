using System.Security.Cryptography;
using Gosuslugi.Health.Identity.Security;
using Microsoft.AspNetCore.DataProtection;

namespace Gosuslugi.Health.Identity.Tests.Security;

public sealed class TotpSecretsTests
{
    [Fact]
    public void A_protected_secret_round_trips_and_does_not_show_the_secret()
    {
        var secrets = new TotpSecrets(new EphemeralDataProtectionProvider());
        var secret = TotpCodes.NewSecret();

        var stored = secrets.Protect(secret);

        stored.ShouldNotContain(secret);
        secrets.Unprotect(stored).ShouldBe(secret);
    }

    [Fact]
    public void A_tampered_value_is_refused()
    {
        var secrets = new TotpSecrets(new EphemeralDataProtectionProvider());
        var stored = secrets.Protect(TotpCodes.NewSecret());
        var tampered = stored[..^4] + (stored[^4] == 'A' ? 'B' : 'A') + stored[^3..];

        Should.Throw<CryptographicException>(() => secrets.Unprotect(tampered));
    }

    [Fact]
    public void Another_purpose_cannot_read_it()
    {
        var provider = new EphemeralDataProtectionProvider();
        var stored = new TotpSecrets(provider).Protect(TotpCodes.NewSecret());

        Should.Throw<CryptographicException>(() => provider.CreateProtector("another purpose").Unprotect(stored));
    }
}
