using System.Globalization;
using System.Security.Claims;
using Gosuslugi.Health.Notifications.Channels;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Api;

public sealed record QuietHoursDto(string From, string To);

public sealed record ChannelChoice(bool Sms, bool Email, bool Push);

public sealed record PreferencesRequest(QuietHoursDto? QuietHours, Dictionary<string, ChannelChoice>? Channels)
    : IJsonRequest<PreferencesRequest>;

public sealed record PreferencesResponse(QuietHoursDto? QuietHours, IReadOnlyDictionary<string, ChannelChoice> Channels,
    IReadOnlyList<DeviceResponse> Devices);

public sealed record DeviceRequest(string? Token, string? Platform) : IJsonRequest<DeviceRequest>;

public sealed record DeviceResponse(Guid Id, string Platform, DateTimeOffset RegisteredAt);

/// <summary>How and when the person is told: quiet hours, channels per category, push devices.</summary>
public static class PreferencesApi
{
    public static readonly IReadOnlySet<string> Platforms = new HashSet<string> { "android", "ios", "web" };
    public const int MaxTokenLength = 500;

    public static RouteGroupBuilder MapPreferencesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(NotificationsApi.Route).WithTags("Notification preferences")
            .RequireAuthorization(Policies.Patient)
            .AddEndpointFilter(RequireOwnToken);

        api.MapGet("/preferences", GetMyPreferences).WithName(nameof(GetMyPreferences));
        api.MapPut("/preferences", PutMyPreferences).WithName(nameof(PutMyPreferences));
        api.MapPost("/devices", RegisterDevice).WithName(nameof(RegisterDevice));
        api.MapDelete("/devices/{id:guid}", RemoveDevice).WithName(nameof(RemoveDevice));
        return api;
    }

    /// <summary>
    /// The preferences are the person's own (their phone, their nights): a representative's token would change the
    /// represented person's, so it is refused. A representative sets their own with their own token.
    /// </summary>
    private static async ValueTask<object?> RequireOwnToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.User.IsActingForSomeoneElse()
            ? TypedResults.Problem(
                detail: "Настройки уведомлений может менять только сам пользователь, а не его представитель.",
                statusCode: StatusCodes.Status403Forbidden,
                extensions: new Dictionary<string, object?> { ["reason"] = "own_token_required" })
            : await next(context);

    public static async Task<Ok<PreferencesResponse>> GetMyPreferences(ClaimsPrincipal user, NotificationsDb db,
        CancellationToken ct) => TypedResults.Ok(await LoadAsync(db, user.GetSubjectId(), ct));

    public static async Task<Results<Ok<PreferencesResponse>, ValidationProblem>> PutMyPreferences(
        Json<PreferencesRequest> body, ClaimsPrincipal user, NotificationsDb db, TimeProvider time, CancellationToken ct)
    {
        var request = body.Value;
        var errors = new Dictionary<string, string[]>();
        TimeOnly? from = null, to = null;
        if (request.QuietHours is { } quiet)
        {
            from = ParseTime(quiet.From, "quietHours.from", errors);
            to = ParseTime(quiet.To, "quietHours.to", errors);
            if (from is not null && from == to)
            {
                errors["quietHours"] = ["Начало и конец тихих часов не должны совпадать."];
            }
        }

        foreach (var category in (request.Channels ?? []).Keys)
        {
            if (!NotificationCategories.All.Contains(category))
            {
                errors[$"channels.{category}"] = ["Неизвестная категория уведомлений."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var personId = user.GetSubjectId();
        var now = time.GetUtcNow();
        var recipient = await db.Recipients.AsTracking().SingleOrDefaultAsync(r => r.PersonId == personId, ct);
        if (recipient is null)
        {
            recipient = new Recipient { PersonId = personId };
            db.Recipients.Add(recipient);
        }

        recipient.QuietFrom = from;
        recipient.QuietTo = to;
        recipient.UpdatedAt = now;

        var existing = await db.ChannelPreferences.AsTracking().Where(p => p.PersonId == personId).ToListAsync(ct);
        foreach (var (category, choice) in request.Channels ?? [])
        {
            foreach (var (channel, enabled) in new[]
                     {
                         (Domain.Channels.Sms, choice.Sms), (Domain.Channels.Email, choice.Email),
                         (Domain.Channels.Push, choice.Push),
                     })
            {
                var row = existing.FirstOrDefault(p => p.Category == category && p.Channel == channel);
                if (row is null)
                {
                    db.ChannelPreferences.Add(new ChannelPreference
                    {
                        PersonId = personId, Category = category, Channel = channel, Enabled = enabled, UpdatedAt = now,
                    });
                }
                else if (row.Enabled != enabled)
                {
                    row.Enabled = enabled;
                    row.UpdatedAt = now;
                }
            }
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await LoadAsync(db, personId, ct));
    }

    public static async Task<Results<Created<DeviceResponse>, Ok<DeviceResponse>, ValidationProblem>> RegisterDevice(
        Json<DeviceRequest> body, ClaimsPrincipal user, NotificationsDb db, TimeProvider time, CancellationToken ct)
    {
        var request = body.Value;
        var errors = new Dictionary<string, string[]>();
        var token = request.Token?.Trim();
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            errors["token"] = [$"Укажите токен устройства (не длиннее {MaxTokenLength} символов)."];
        }

        if (request.Platform is null || !Platforms.Contains(request.Platform))
        {
            errors["platform"] = ["Платформа должна быть одной из: android, ios, web."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var personId = user.GetSubjectId();
        var known = await db.PushDevices.AsNoTracking()
            .SingleOrDefaultAsync(d => d.PersonId == personId && d.Token == token, ct);
        if (known is not null)
        {
            // The app registers on every start: the same token again is the same device.
            return TypedResults.Ok(ToResponse(known));
        }

        var device = new PushDevice
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()), PersonId = personId, Token = token!,
            Platform = request.Platform!, RegisteredAt = time.GetUtcNow(),
        };
        db.PushDevices.Add(device);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{NotificationsApi.Route}/devices/{device.Id}", ToResponse(device));
    }

    public static async Task<Results<NoContent, NotFound>> RemoveDevice(Guid id, ClaimsPrincipal user,
        NotificationsDb db, CancellationToken ct)
    {
        var personId = user.GetSubjectId();
        var removed = await db.PushDevices.Where(d => d.Id == id && d.PersonId == personId).ExecuteDeleteAsync(ct);
        return removed == 0
            ? TypedResults.NotFound()
            : TypedResults.NoContent();
    }

    private static async Task<PreferencesResponse> LoadAsync(NotificationsDb db, Guid personId, CancellationToken ct)
    {
        var recipient = await db.Recipients.AsNoTracking().SingleOrDefaultAsync(r => r.PersonId == personId, ct);
        var choices = await db.ChannelPreferences.AsNoTracking().Where(p => p.PersonId == personId).ToListAsync(ct);
        var devices = await db.PushDevices.AsNoTracking().Where(d => d.PersonId == personId)
            .OrderBy(d => d.RegisteredAt).ToListAsync(ct);

        bool Enabled(string category, string channel) =>
            choices.FirstOrDefault(p => p.Category == category && p.Channel == channel)?.Enabled
            ?? ChannelDefaults.IsEnabled(category, channel);

        var channels = NotificationCategories.All.ToDictionary(c => c, c => new ChannelChoice(
            Enabled(c, Domain.Channels.Sms), Enabled(c, Domain.Channels.Email), Enabled(c, Domain.Channels.Push)));
        var quiet = recipient is { QuietFrom: { } from, QuietTo: { } to }
            ? new QuietHoursDto(from.ToString("HH:mm", CultureInfo.InvariantCulture), to.ToString("HH:mm", CultureInfo.InvariantCulture))
            : null;
        return new PreferencesResponse(quiet, channels, devices.Select(ToResponse).ToList());
    }

    private static DeviceResponse ToResponse(PushDevice device) => new(device.Id, device.Platform, device.RegisteredAt);

    private static TimeOnly? ParseTime(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors[field] = ["Укажите время в формате ЧЧ:ММ (по Москве)."];
        return null;
    }
}
