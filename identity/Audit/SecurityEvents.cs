using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Identity.Audit;

/// <summary>
/// Records access and security events for the Audit service. The event joins the caller's unit of work
/// through the outbox: it is published if and only if the change it describes is committed. For events
/// that accompany no change (a failed sign-in), use <see cref="PublishAsync"/>.
/// </summary>
/// <remarks>Details are short facts; never put a password, a code, a secret or a whole token in them.</remarks>
public sealed class SecurityEvents(IdentityDb db, IHttpContextAccessor http, TimeProvider time, ILogger<SecurityEvents> logger)
{
    public const string Success = "success";
    public const string Failure = "failure";

    /// <summary>Adds the event to the pending changes; the caller's SaveChanges publishes it.</summary>
    public SecurityEventRecorded Add(string kind, Guid? subjectId, string outcome = Success,
        IReadOnlyDictionary<string, string>? details = null, Guid? actorId = null, string? clientId = null)
    {
        var context = http.HttpContext;
        var evt = new SecurityEventRecorded(
            EventId: Guid.CreateVersion7(),
            Kind: kind,
            SubjectId: subjectId,
            ActorId: actorId,
            ClientId: clientId,
            IpAddress: context?.Connection.RemoteIpAddress?.ToString(),
            UserAgent: Truncate(context?.Request.Headers.UserAgent.ToString(), 300),
            Outcome: outcome,
            Details: details ?? new Dictionary<string, string>(),
            OccurredAt: time.GetUtcNow());
        db.AddOutboxEvent(evt);
        logger.LogInformation("Security event {Kind} for {SubjectId}: {Outcome}", kind, subjectId, outcome);
        return evt;
    }

    /// <summary>Adds the event and saves it at once (with whatever else is pending).</summary>
    public async Task PublishAsync(string kind, Guid? subjectId, string outcome = Success,
        IReadOnlyDictionary<string, string>? details = null, Guid? actorId = null, string? clientId = null, CancellationToken ct = default)
    {
        Add(kind, subjectId, outcome, details, actorId, clientId);
        await db.SaveChangesAsync(ct);
    }

    private static string? Truncate(string? value, int length) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];
}
