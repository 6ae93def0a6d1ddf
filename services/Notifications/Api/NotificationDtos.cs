using Gosuslugi.Health.Notifications.Domain;

namespace Gosuslugi.Health.Notifications.Api;

public sealed record NotificationResponse(
    Guid Id,
    string Category,
    string Title,
    string Body,
    string? Link,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReadAt)
{
    public static NotificationResponse From(Notification n) =>
        new(n.Id, n.Category, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt);
}

/// <param name="NextCursor">Pass as <c>cursor</c> to get the next page; null on the last page.</param>
public sealed record NotificationPage(IReadOnlyList<NotificationResponse> Items, string? NextCursor);

public sealed record UnreadCountResponse(int Count);
