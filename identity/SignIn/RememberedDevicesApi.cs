using System.Security.Claims;
using Gosuslugi.Health.Identity.Accounts;
using Gosuslugi.Health.Identity.Domain;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.SignIn;

/// <summary>
/// The signed-in person's remembered devices, <c>/api/v1/account/devices</c>: the browsers where the password alone
/// signs them in. Forgetting one (or all) brings the second factor back there; it needs no fresh sign-in, since it
/// only takes trust away.
/// </summary>
public static class RememberedDevicesApi
{
    public const string BasePath = "/api/v1/account/devices";
    public const string NotFoundDetail = "Устройство не найдено или уже забыто.";

    public static RouteGroupBuilder MapRememberedDevicesApi(this IEndpointRouteBuilder app)
    {
        // Bearer tokens only: the device cookie's path is /connect, it never reaches this API.
        var devices = app.MapGroup(BasePath)
            .RequireAuthorization(policy => policy
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser())
            .DisableAntiforgery()
            .WithTags("Devices");
        devices.MapGet("/", ListAsync);
        devices.MapDelete("/{id:guid}", ForgetAsync);
        devices.MapDelete("/", ForgetAllAsync);
        return devices;
    }

    public sealed record DeviceServices(UserManager<HealthUser> Users, RememberedDevices Devices);

    /// <param name="Name">Browser and system, as the person will recognise it ("Chrome, Windows").</param>
    /// <param name="ExpiresAt">After this the second factor is asked there again.</param>
    public sealed record DeviceSummary(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset ExpiresAt);

    public sealed record DeviceList(IReadOnlyList<DeviceSummary> Items);

    private static async Task<Results<Ok<DeviceList>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal principal, [AsParameters] DeviceServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        var devices = await s.Devices.ListAsync(user.Id, ct);
        return TypedResults.Ok(new DeviceList([.. devices.Select(d => new DeviceSummary(d.Id, d.Name, d.CreatedAt, d.LastUsedAt, d.ExpiresAt))]));
    }

    /// <summary>Another person's device, like an unknown one, is 404: nobody learns which ids exist.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> ForgetAsync(
        Guid id, ClaimsPrincipal principal, [AsParameters] DeviceServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        return await s.Devices.ForgetAsync(user.Id, id, ct) ? TypedResults.NoContent() : AccountProblems.NotFound(NotFoundDetail);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ForgetAllAsync(
        ClaimsPrincipal principal, [AsParameters] DeviceServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        await s.Devices.ForgetAllAsync(user.Id, ct);
        return TypedResults.NoContent();
    }
}
