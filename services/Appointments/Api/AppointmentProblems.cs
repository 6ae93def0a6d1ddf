using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Appointments.Api;

/// <summary>Problems (RFC 9457) with the machine-readable <c>reason</c> clients branch on; the texts are for people.</summary>
internal static class AppointmentProblems
{
    /// <param name="currentStatus">Where the answer is "already closed": the status the item has now.</param>
    public static ProblemHttpResult WithReason(int status, string title, string detail, string reason,
        string? currentStatus = null)
    {
        var extensions = new Dictionary<string, object?> { ["reason"] = reason };
        if (currentStatus is not null)
        {
            extensions["currentStatus"] = currentStatus;
        }

        return TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: extensions);
    }

    /// <summary>422: the request is understood, and a rule of the service refuses it.</summary>
    public static ProblemHttpResult BusinessRule(string reason, string detail) =>
        WithReason(StatusCodes.Status422UnprocessableEntity, "Запрос не выполнен", detail, reason);

    /// <summary>409: another request changed the item first, or the item is no longer in the state the request needs.</summary>
    public static ProblemHttpResult Conflict(string title, string detail, string reason, string? currentStatus = null) =>
        WithReason(StatusCodes.Status409Conflict, title, detail, reason, currentStatus);
}
