using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Audit.Data;
using Gosuslugi.Health.Disputes.Data;
using Gosuslugi.Health.Prescriptions.Data;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.SickLeave.Data;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Services.Tests;

/// <summary>
/// A service that so far has only the platform parts: its database with outbox and inbox, the broker, health checks and
/// token validation. Every web assembly has its own <c>Program</c>, so the DbContext type is the factory's marker.
/// </summary>
public sealed record SkeletonService(string Name, Func<IReadOnlyDictionary<string, string?>, IServiceHost> Host)
{
    public static readonly IReadOnlyDictionary<string, SkeletonService> All = new[]
    {
        Of<AppointmentsDb>("appointments"),
        // Records seals medical content with keys wrapped in its HSM token.
        Of<RecordsDb>("records", () => TestHsm.NewTokenSettings("records-skeleton")),
        // Prescriptions seals prescriptions and signs QR references with keys in its own token.
        Of<PrescriptionsDb>("prescriptions", () => TestHsm.NewTokenSettings("prescriptions-skeleton")),
        // SickLeave seals certificates the same way, in its own token.
        Of<SickLeaveDb>("sickleave", () => TestHsm.NewTokenSettings("sickleave-skeleton")),
        Of<DisputesDb>("disputes"),
        Of<AuditDb>("audit"),
    }.ToDictionary(s => s.Name);

    public static TheoryData<string> Names => new(All.Keys);

    /// <summary>Connection name as the AppHost passes it: ConnectionStrings:&lt;name&gt;db.</summary>
    public string ConnectionName => $"{Name}db";

    /// <summary>The service's API as the gateway routes it (sick leave's is hyphenated).</summary>
    public string ApiRoute => Name == "sickleave" ? "/api/v1/sick-leave" : $"/api/v1/{Name}";

    private static SkeletonService Of<TDb>(string name, Func<Dictionary<string, string?>>? own = null) where TDb : DbContext =>
        new(name, settings => new ServiceHost<TDb>(own is null ? settings : settings.Concat(own()).ToDictionary()));

    public override string ToString() => Name;
}

public interface IServiceHost : IAsyncDisposable
{
    /// <summary>Starts the host on first use: migrations are applied before it answers anything.</summary>
    HttpClient CreateClient();

    /// <summary>The started host's services.</summary>
    IServiceProvider Services { get; }

    Task<T> WithDbAsync<T>(Func<DbContext, Task<T>> query);
}

internal sealed class ServiceHost<TDb>(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<TDb>, IServiceHost
    where TDb : DbContext
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public async Task<T> WithDbAsync<T>(Func<DbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TDb>());
    }
}
