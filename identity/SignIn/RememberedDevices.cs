using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.SignIn;

/// <summary>
/// Browsers where a person chose "remember this device": there the password alone signs them in for
/// <see cref="SignInOptions.RememberDeviceFor"/>. The browser holds a random 256-bit token per remembered account in
/// the cookie <see cref="CookieName"/> (path /connect, HttpOnly); the database holds only its hash, so a copy of the
/// table remembers nobody. A browser shared by a family keeps one token per person.
/// </summary>
public sealed class RememberedDevices(
    IdentityDb db,
    SecurityEvents events,
    IOptions<SignInOptions> options,
    TimeProvider time)
{
    public const string CookieName = "gosuslugi.health.device";

    /// <summary>Tokens one browser keeps; the oldest is dropped beyond it.</summary>
    private const int MaxTokensPerBrowser = 5;

    private const char Separator = '.'; // never part of a base64url token

    /// <summary>The person's remembered device this browser proves to be, or null; its last use is recorded.</summary>
    public async Task<RememberedDevice?> RecognizeAsync(HttpContext context, Guid userId, CancellationToken ct)
    {
        var hashes = Tokens(context).Select(SecretHasher.HashToken).ToList();
        if (hashes.Count == 0) return null;

        var now = time.GetUtcNow();
        var device = await db.RememberedDevices
            .Where(d => d.UserId == userId && hashes.Contains(d.TokenHash) && d.RevokedAt == null && d.ExpiresAt > now)
            .FirstOrDefaultAsync(ct);
        if (device is null) return null;

        device.LastUsedAt = now;
        await db.SaveChangesAsync(ct);
        return device;
    }

    /// <summary>
    /// Whether this browser holds the token of a device the person remembered here and did not forget (expired ones
    /// count: the browser is theirs all the same). A forgotten device is not familiar: it may be the lost one.
    /// </summary>
    public async Task<bool> WasRememberedAsync(HttpContext context, Guid userId, CancellationToken ct)
    {
        var hashes = Tokens(context).Select(SecretHasher.HashToken).ToList();
        if (hashes.Count == 0) return false;
        return await db.RememberedDevices.AsNoTracking()
            .AnyAsync(d => d.UserId == userId && hashes.Contains(d.TokenHash) && d.RevokedAt == null, ct);
    }

    /// <summary>Remembers this browser for the person; the row and <see cref="SecurityEventKinds.DeviceRemembered"/> are saved together.</summary>
    public async Task<RememberedDevice> RememberAsync(HttpContext context, HealthUser user, string? clientId, CancellationToken ct)
    {
        var token = SecretHasher.NewOpaqueValue();
        var now = time.GetUtcNow();
        var device = new RememberedDevice
        {
            UserId = user.Id,
            TokenHash = SecretHasher.HashToken(token),
            Name = DeviceNames.FromUserAgent(context.Request.Headers.UserAgent.ToString()),
            CreatedAt = now,
            ExpiresAt = now + options.Value.RememberDeviceFor,
            LastUsedAt = now,
        };
        db.RememberedDevices.Add(device);
        events.Add(SecurityEventKinds.DeviceRemembered, user.Id, details: new Dictionary<string, string>
        {
            ["device_id"] = device.Id.ToString(),
            ["device"] = device.Name,
        }, clientId: clientId);
        await db.SaveChangesAsync(ct);

        var tokens = Tokens(context).TakeLast(MaxTokensPerBrowser - 1).Append(token);
        context.Response.Cookies.Append(CookieName, string.Join(Separator, tokens), new CookieOptions
        {
            Path = "/connect",
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            MaxAge = options.Value.RememberDeviceFor,
            IsEssential = true,
        });
        return device;
    }

    /// <summary>The person's devices that still skip the second factor, the most recently used first.</summary>
    public async Task<IReadOnlyList<RememberedDevice>> ListAsync(Guid userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var devices = await db.RememberedDevices.AsNoTracking()
            .Where(d => d.UserId == userId && d.RevokedAt == null && d.ExpiresAt > now)
            .ToListAsync(ct);
        return devices.OrderByDescending(d => d.LastUsedAt ?? d.CreatedAt).ToList();
    }

    /// <summary>Forgets one device of the person; false when they have no such device (another person's id included).</summary>
    public async Task<bool> ForgetAsync(Guid userId, Guid deviceId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var device = await db.RememberedDevices
            .SingleOrDefaultAsync(d => d.Id == deviceId && d.UserId == userId && d.RevokedAt == null && d.ExpiresAt > now, ct);
        if (device is null) return false;

        device.RevokedAt = now;
        events.Add(SecurityEventKinds.DeviceForgotten, userId, details: new Dictionary<string, string>
        {
            ["device_id"] = device.Id.ToString(),
            ["device"] = device.Name,
        });
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Forgets every device of the person; returns how many there were.</summary>
    public async Task<int> ForgetAllAsync(Guid userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var devices = await db.RememberedDevices
            .Where(d => d.UserId == userId && d.RevokedAt == null && d.ExpiresAt > now)
            .ToListAsync(ct);
        if (devices.Count == 0) return 0;

        foreach (var device in devices) device.RevokedAt = now;
        events.Add(SecurityEventKinds.DeviceForgotten, userId, details: new Dictionary<string, string>
        {
            ["all"] = "true",
            ["count"] = devices.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await db.SaveChangesAsync(ct);
        return devices.Count;
    }

    private static IEnumerable<string> Tokens(HttpContext context) =>
        context.Request.Cookies.TryGetValue(CookieName, out var value) && !string.IsNullOrEmpty(value)
            ? value.Split(Separator, StringSplitOptions.RemoveEmptyEntries).Where(t => t.Length is > 20 and < 100).Take(MaxTokensPerBrowser)
            : [];
}

/// <summary>What a person sees in their list of devices: browser and system from the User-Agent ("Chrome, Windows").</summary>
public static class DeviceNames
{
    public static string FromUserAgent(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return "Неизвестный браузер";
        bool Has(string s) => userAgent.Contains(s, StringComparison.OrdinalIgnoreCase);

        // Order matters: most browsers also name the engines they imitate.
        var browser = Has("YaBrowser") ? "Яндекс Браузер"
            : Has("Edg/") ? "Edge"
            : Has("OPR/") || Has("Opera") ? "Opera"
            : Has("Firefox/") ? "Firefox"
            : Has("Chrome/") || Has("CriOS/") ? "Chrome"
            : Has("Safari/") ? "Safari"
            : "Браузер";
        var system = Has("Android") ? "Android"
            : Has("iPhone") || Has("iPad") ? "iOS"
            : Has("Windows") ? "Windows"
            : Has("Mac OS X") || Has("Macintosh") ? "macOS"
            : Has("Linux") ? "Linux"
            : null;
        return system is null ? browser : $"{browser}, {system}";
    }
}
