using Gosuslugi.Health.Prescriptions.Data;
using Gosuslugi.Health.Prescriptions.Domain;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Prescriptions.Pharmacies;

/// <summary>
/// The pharmacy directory of a development system (production's comes from the registry of licensed pharmacies): a few
/// pharmacies with fixed ids, added when missing. Registered after the migrations, so the table is there.
/// </summary>
public sealed class DevelopmentPharmacies(IServiceScopeFactory scopes, ILogger<DevelopmentPharmacies> logger) : IHostedService
{
    public static readonly IReadOnlyList<Pharmacy> All =
    [
        new() { Id = Guid.Parse("0193a5c0-0000-7000-8000-00000000a001"), Name = "Аптека «Здоровье» № 12", Address = "Москва, ул. Тверская, д. 15",
            Hours = "ежедневно 8:00–22:00", ServesPreferential = true },
        new() { Id = Guid.Parse("0193a5c0-0000-7000-8000-00000000a002"), Name = "Аптека «Горздрав»", Address = "Москва, Ленинский пр-т, д. 42",
            Hours = "круглосуточно", ServesPreferential = false },
        new() { Id = Guid.Parse("0193a5c0-0000-7000-8000-00000000a003"), Name = "Государственная аптека № 7", Address = "Москва, ул. Профсоюзная, д. 3",
            Hours = "пн–пт 8:00–20:00, сб 9:00–18:00", ServesPreferential = true },
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrescriptionsDb>();
        var known = await db.Pharmacies.Select(p => p.Id).ToListAsync(cancellationToken);
        var missing = All.Where(p => !known.Contains(p.Id)).ToList();
        if (missing.Count == 0) return;
        db.Pharmacies.AddRange(missing.Select(p => new Pharmacy
        {
            Id = p.Id, Name = p.Name, Address = p.Address, Hours = p.Hours, ServesPreferential = p.ServesPreferential,
        }));
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Added {Count} development pharmacies to the directory", missing.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
