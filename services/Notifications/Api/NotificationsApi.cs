using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Api;

public static class NotificationsApi
{
    public const string Route = "/api/v1/notifications";
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>The area of the access log: the feed repeats what happened in the record.</summary>
    public const string AccessSection = "notifications";

    public static RouteGroupBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        // Notifications tell about the record (a vaccination given, a result ready), so they are medical data: the
        // person's own, or a represented person's for a representative who may read the whole record.
        var api = app.MapGroup(Route).WithTags("Notifications")
            .RequireAuthorization(Policies.MedicalData)
            .AddEndpointFilter(RequireWholeRecordAccess);

        api.MapGet("/", ListMyNotifications).WithName(nameof(ListMyNotifications));
        api.MapGet("/unread-count", CountMyUnread).WithName(nameof(CountMyUnread));
        api.MapPost("/{id:guid}/read", MarkRead).WithName(nameof(MarkRead));

        return api;
    }

    /// <summary>
    /// A feed item may be about any section of the record, so a limited delegation (prescriptions and lab results
    /// only) opens none of it.
    /// </summary>
    private static async ValueTask<object?> RequireWholeRecordAccess(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.User.CanReadWholeRecord()
            ? await next(context)
            : AccessProblems.SectionNotDelegated();

    public static async Task<Results<Ok<NotificationPage>, ValidationProblem>> ListMyNotifications(
        int? limit, string? cursor, HttpContext http, ClaimsPrincipal user, NotificationsDb db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var pageSize = limit ?? DefaultPageSize;
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["limit"] = [$"Размер страницы должен быть от 1 до {MaxPageSize}."];
        }

        FeedCursor? after = null;
        if (cursor is not null)
        {
            if (FeedCursor.TryDecode(cursor, out var decoded))
            {
                after = decoded;
            }
            else
            {
                errors["cursor"] = ["Неверная позиция в списке уведомлений. Запросите список с начала."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var patientId = user.GetSubjectId();
        var query = db.Notifications.AsNoTracking().Where(n => n.PatientId == patientId);
        if (after is { } position)
        {
            query = query.Where(n => n.CreatedAt < position.CreatedAt
                                     || (n.CreatedAt == position.CreatedAt && n.Id.CompareTo(position.Id) < 0));
        }

        // One extra row tells whether another page exists without a COUNT.
        var rows = await query
            .OrderByDescending(n => n.CreatedAt)
            .ThenByDescending(n => n.Id)
            .Take(pageSize + 1)
            .ToListAsync(ct);

        var page = rows.Take(pageSize).ToList();
        await db.LogAccessAsync(http, patientId, AccessSection, AccessActions.Read, "просмотр уведомлений", ct: ct);
        var next = rows.Count > pageSize ? new FeedCursor(page[^1].CreatedAt, page[^1].Id).Encode() : null;
        return TypedResults.Ok(new NotificationPage(page.Select(NotificationResponse.From).ToList(), next));
    }

    public static async Task<Ok<UnreadCountResponse>> CountMyUnread(
        ClaimsPrincipal user, NotificationsDb db, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        var count = await db.Notifications.CountAsync(n => n.PatientId == patientId && n.ReadAt == null, ct);
        return TypedResults.Ok(new UnreadCountResponse(count));
    }

    public static async Task<Results<NoContent, NotFound>> MarkRead(
        Guid id, HttpContext http, ClaimsPrincipal user, NotificationsDb db, TimeProvider time, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        // Another patient's notification answers exactly like a missing one.
        var notification = await db.Notifications.SingleOrDefaultAsync(n => n.Id == id && n.PatientId == patientId, ct);
        if (notification is null)
        {
            return TypedResults.NotFound();
        }

        notification.MarkRead(time.GetUtcNow());
        db.AddAccessEvent(http, patientId, AccessSection, AccessActions.Change, "отметка уведомления прочитанным", notification.Id);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
