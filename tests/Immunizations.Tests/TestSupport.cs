using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

using Gosuslugi.Health.TestInfrastructure;

namespace Gosuslugi.Health.Immunizations.Tests;

/// <summary>Records which entity types each SaveChanges inserted, to see what was written together.</summary>
public sealed class SaveChangesRecorder : SaveChangesInterceptor
{
    public ConcurrentQueue<IReadOnlyList<Type>> Inserts { get; } = new();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            Inserts.Enqueue(context.ChangeTracker.Entries()
                .Where(e => e.State == EntityState.Added)
                .Select(e => e.Entity.GetType())
                .ToList());
        }
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }
}

public static class Json
{
    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) as JsonObject
            ?? throw new InvalidOperationException($"Expected a JSON object, got: {text}");
    }

    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan? timeout = null, string? what = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Timed out waiting for {what ?? typeof(T).Name}.");
    }

    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}
