using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Live;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Notifications.Api;

/// <summary>The feed as it happens: server-sent events with each new notification of the patient.</summary>
public static class LiveFeedApi
{
    public const string NotificationEvent = "notification";

    /// <summary>
    /// SseItem cannot carry an SSE comment, so the keep-alive is an event of its own type (data null), which an
    /// EventSource listening for "notification" ignores; it keeps proxies from closing an idle stream.
    /// </summary>
    public const string HeartbeatEvent = "heartbeat";

    public static RouteGroupBuilder MapLiveFeedApi(this IEndpointRouteBuilder app)
    {
        // The same access as the feed itself: medical data, and only for who may read the whole record.
        var api = app.MapGroup(NotificationsApi.Route).WithTags("Notifications")
            .RequireAuthorization(Policies.MedicalData)
            .AddEndpointFilter(RequireWholeRecordAccess);

        api.MapGet("/stream", StreamMyNotifications).WithName(nameof(StreamMyNotifications));
        return api;
    }

    private static async ValueTask<object?> RequireWholeRecordAccess(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.User.CanReadWholeRecord()
            ? await next(context)
            : AccessProblems.SectionNotDelegated();

    public static async Task<ServerSentEventsResult<NotificationResponse?>> StreamMyNotifications(
        HttpContext http, ClaimsPrincipal user, NotificationsDb db, LiveFeedHub hub, IOptions<LiveFeedOptions> options,
        CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        // Subscribed before the response starts: whatever commits after the client sees the headers reaches it.
        var subscription = hub.Subscribe(patientId);
        http.Response.RegisterForDispose(subscription);
        // One access event per opened stream, not one per message it carries.
        await db.LogAccessAsync(http, patientId, NotificationsApi.AccessSection, AccessActions.Read,
            "просмотр уведомлений в реальном времени", ct: ct);
        return TypedResults.ServerSentEvents(Stream(subscription, options.Value.Heartbeat, http.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<NotificationResponse?>> Stream(
        LiveSubscription subscription, TimeSpan heartbeat, [EnumeratorCancellation] CancellationToken ct)
    {
        using (subscription)
        {
            // The first write sends the headers, so the client knows at once that it is subscribed.
            yield return Heartbeat();
            while (!ct.IsCancellationRequested)
            {
                bool available;
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    wait.CancelAfter(heartbeat);
                    try
                    {
                        available = await subscription.Reader.WaitToReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        available = false;
                    }
                }

                if (!available)
                {
                    if (subscription.Reader.Completion.IsCompleted) yield break;
                    yield return Heartbeat();
                    continue;
                }

                while (subscription.Reader.TryRead(out var item))
                {
                    yield return new SseItem<NotificationResponse?>(item, NotificationEvent);
                }
            }
        }
    }

    private static SseItem<NotificationResponse?> Heartbeat() => new(null, HeartbeatEvent);
}
