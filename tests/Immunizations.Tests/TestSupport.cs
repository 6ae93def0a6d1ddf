using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Gosuslugi.Health.Immunizations.Tests;

/// <summary>Valid, distinct SNILS numbers (with their checksum) for test patients.</summary>
public static class TestSnils
{
    private static int _next = Random.Shared.Next(10_000_000, 900_000_000);

    public static string Next() => WithChecksum(Interlocked.Increment(ref _next));

    public static string WithChecksum(int number)
    {
        var digits = number.ToString("D9");
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (digits[i] - '0') * (9 - i);
        var check = sum % 101 % 100;
        return digits + check.ToString("D2");
    }

    /// <summary>The same number with a wrong checksum.</summary>
    public static string Broken(string snils) =>
        snils[..9] + ((int.Parse(snils[9..]) + 1) % 100).ToString("D2");
}

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
