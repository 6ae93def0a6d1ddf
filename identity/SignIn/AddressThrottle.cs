using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.ServiceDefaults.Caching;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.SignIn;

/// <summary>
/// Failed sign-in attempts counted per client address in Redis (a fixed window shared by every identity instance).
/// Past the limit the address is refused before any password is checked and before any account is touched: a guesser
/// from one address can neither go on guessing nor keep locking a stranger's account, while the person themself, from
/// their own address, can still sign in.
/// </summary>
/// <remarks>
/// The address is <c>HttpContext.Connection.RemoteIpAddress</c>, the client's own behind the gateway (ServiceDefaults
/// applies X-Forwarded-For from trusted proxies only). An IPv6 client is counted by its /64, which one subscriber
/// usually holds whole.
/// </remarks>
public sealed class AddressThrottle(
    IKeyValueStore store,
    SecurityEvents events,
    IOptions<SignInOptions> options,
    ILogger<AddressThrottle> logger)
{
    private SignInOptions Options => options.Value;

    /// <summary>
    /// Null while the address may still try; once it has used up its failures, how long until its window ends. The
    /// first refusal in a window is published.
    /// </summary>
    public async Task<TimeSpan?> ThrottledForAsync(HttpContext context, CancellationToken ct)
    {
        if (Address(context) is not { } address) return null;
        var key = FailuresKey(address);
        var failures = long.TryParse(await store.GetAsync(key, ct), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
        if (failures < Options.AddressFailureLimit) return null;

        if (await store.SetIfAbsentAsync($"signin:throttled:{address}", "1", Options.AddressWindow, ct))
        {
            logger.LogWarning("Sign-ins from {Address} are refused for a while: {Failures} failures", address, failures);
            await events.PublishAsync(SecurityEventKinds.ThrottledByAddress, subjectId: null, SecurityEvents.Failure,
                new Dictionary<string, string>
                {
                    ["failures"] = failures.ToString(CultureInfo.InvariantCulture),
                    ["window_minutes"] = ((int)Options.AddressWindow.TotalMinutes).ToString(CultureInfo.InvariantCulture),
                }, ct: ct);
        }
        return await store.GetTimeToLiveAsync(key, ct) ?? Options.AddressWindow;
    }

    public async Task RecordFailureAsync(HttpContext context, CancellationToken ct)
    {
        if (Address(context) is { } address) await store.IncrementAsync(FailuresKey(address), Options.AddressWindow, ct);
    }

    private static string FailuresKey(string address) => $"signin:failures:{address}";

    /// <summary>
    /// The address to count, or null when there is none: only an in-process test host has no peer address; every real
    /// connection has one.
    /// </summary>
    private static string? Address(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress;
        if (ip is null) return null;
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (ip.AddressFamily != AddressFamily.InterNetworkV6) return ip.ToString();

        var bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
