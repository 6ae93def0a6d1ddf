namespace Gosuslugi.Health.Identity.Signatures;

public static class SignaturesServiceExtensions
{
    /// <summary>
    /// The electronic signature (ЭП): trust anchors and the local test CA (section <c>Identity:Signatures</c>), the
    /// certificate and signature checks, linked certificates and sign-in challenges.
    /// </summary>
    /// <remarks>Needs the HSM (<c>Pkcs11Hsm</c>), Redis (<c>IKeyValueStore</c>) and identity's database.</remarks>
    public static IServiceCollection AddSignatures(this IServiceCollection services)
    {
        services.AddOptions<SignatureOptions>()
            .BindConfiguration(SignatureOptions.Section)
            .Validate(o => o.LocalCaEnabled || o.TrustAnchors.Count > 0,
                "Identity:Signatures needs TrustAnchors (the accredited CAs' roots) when the local CA is off.")
            .Validate(o => o.TrustAnchors.All(File.Exists), "Identity:Signatures:TrustAnchors names a file that does not exist.")
            .Validate(o => o.CrlLifetime > TimeSpan.Zero && o.ChallengeLifetime > TimeSpan.Zero, "Identity:Signatures lifetimes must be positive.")
            .ValidateOnStart();
        services.AddSingleton<LocalCertificateAuthority>();
        services.AddSingleton<CertificateValidator>();
        services.AddSingleton<SignatureVerifier>();
        services.AddSingleton<SignInChallenges>();
        services.AddScoped<SignatureChecks>();
        services.AddScoped<AccountCertificates>();
        return services;
    }
}
