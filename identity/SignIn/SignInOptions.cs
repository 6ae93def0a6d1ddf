namespace Gosuslugi.Health.Identity.SignIn;

/// <summary>Configuration section <c>Identity:SignIn</c>: the second step, the lockout and the throttling of sign-ins.</summary>
public sealed class SignInOptions
{
    public const string Section = "Identity:SignIn";

    /// <summary>How long a person who gave the right password has to pass the second factor.</summary>
    public TimeSpan PendingLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Failed attempts in a row (password or second factor) that lock the account.</summary>
    public int FailuresBeforeLockout { get; set; } = 3;

    /// <summary>The first lockout; every further one in a row lasts twice as long, up to <see cref="LongestLockout"/>.</summary>
    public TimeSpan FirstLockout { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan LongestLockout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Failures from one address within <see cref="AddressWindow"/> after which that address is refused without a
    /// password check, so that a guesser can neither go on nor keep strangers' accounts locked.
    /// </summary>
    public int AddressFailureLimit { get; set; } = 10;

    public TimeSpan AddressWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a remembered device skips the second factor.</summary>
    public TimeSpan RememberDeviceFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The lockout that the <paramref name="lockoutInARow"/>-th lockout in a row gets: 5, 10, 20, 40, then 60 minutes.</summary>
    public TimeSpan LockoutDuration(int lockoutInARow)
    {
        var doublings = Math.Clamp(lockoutInARow - 1, 0, 30);
        var duration = FirstLockout * Math.Pow(2, doublings);
        return duration < LongestLockout ? duration : LongestLockout;
    }
}
