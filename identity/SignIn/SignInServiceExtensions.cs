namespace Gosuslugi.Health.Identity.SignIn;

public static class SignInServiceExtensions
{
    /// <summary>
    /// The sign-in at /connect/authorize with its second factor, lockout, per-address throttling and remembered
    /// devices, and the account API for remembered devices and the authenticator app.
    /// </summary>
    /// <remarks>Needs Redis (<c>IKeyValueStore</c>), Data Protection, <c>OneTimeCodes</c>, <c>ContactMessenger</c>,
    /// <c>PasskeyFactor</c> and <c>SessionStore</c>, registered by their own features.</remarks>
    public static IServiceCollection AddSignIn(this IServiceCollection services)
    {
        services.AddOptions<SignInOptions>()
            .BindConfiguration(SignInOptions.Section)
            .Validate(o => o.FailuresBeforeLockout >= 1 && o.AddressFailureLimit >= 1, "Identity:SignIn limits must be at least 1.")
            .Validate(o => o.FirstLockout > TimeSpan.Zero && o.LongestLockout >= o.FirstLockout, "Identity:SignIn lockouts must grow from FirstLockout to LongestLockout.")
            .ValidateOnStart();
        services.AddSingleton<PendingSignIns>();
        services.AddScoped<AccountLockout>();
        services.AddScoped<AddressThrottle>();
        services.AddScoped<RememberedDevices>();
        services.AddScoped<SecondFactors>();
        services.AddScoped<SignInCompletion>();
        services.AddScoped<TotpEnrolments>();
        return services;
    }
}
