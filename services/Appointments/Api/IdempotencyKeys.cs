using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Appointments.Api;

/// <summary>The Idempotency-Key header: a retry with the same key gets the first answer again instead of acting twice.</summary>
internal static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";

    /// <param name="key">The key sent, trimmed; empty when there is none.</param>
    /// <returns>The problem to answer when the key is longer than is stored, else null.</returns>
    public static ValidationProblem? Read(HttpRequest request, int maxLength, out string key)
    {
        key = request.Headers[Header].ToString().Trim();
        return key.Length > maxLength
            ? Problems.Validation(Header, $"Ключ идемпотентности должен быть не длиннее {maxLength} символов.")
            : null;
    }
}
