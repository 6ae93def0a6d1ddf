using System.Text.Json;
using Gosuslugi.Health.Contracts.SickLeave;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.SickLeave.Certificates;
using Gosuslugi.Health.SickLeave.Data;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.SickLeave.Demo;

/// <summary>
/// Development only (<c>SickLeave:DemoFile</c>, which the AppHost points at identity's demo.json): gives the demo
/// patient one closed sick-leave certificate, published through the same code as an organization's, so that
/// <c>./run.sh</c> shows a certificate, its PDF and the notification. identity writes the file after it registered
/// the accounts and the patient reaches this service by its PatientRegistered event, in either order: the seeder
/// waits for both. The number is derived from the patient's SNILS, so a restart repeats the same publication and
/// changes nothing.
/// </summary>
public sealed class DemoCertificate(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider time,
    ILogger<DemoCertificate> logger) : BackgroundService
{
    public const string DemoFileKey = "SickLeave:DemoFile";

    /// <summary>The issuing organization of demo data (identity's demo organization's id is not in the file).</summary>
    public static readonly Guid OrganizationId = Guid.Parse("0193a000-0000-7000-8000-00000000a001");

    public const string OrganizationName = "ГБУЗ «Городская поликлиника № 1»";

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var file = configuration[DemoFileKey];
        if (string.IsNullOrWhiteSpace(file)) return;

        var deadline = time.GetUtcNow() + GiveUpAfter;
        while (!stoppingToken.IsCancellationRequested && time.GetUtcNow() < deadline)
        {
            try
            {
                if (await TrySeedAsync(file, stoppingToken)) return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "The demo sick-leave certificate is not there yet; trying again");
            }
            await Task.Delay(Poll, time, stoppingToken);
        }
        if (!stoppingToken.IsCancellationRequested)
            logger.LogWarning("Gave up on the demo sick-leave certificate: no demo patient in {DemoFile} reached this service", file);
    }

    private async Task<bool> TrySeedAsync(string file, CancellationToken ct)
    {
        if (!File.Exists(file)) return false;
        using var demo = JsonDocument.Parse(await File.ReadAllTextAsync(file, ct));
        var snils = demo.RootElement.GetProperty("patient").GetProperty("snils").GetString()!;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SickLeaveDb>();
        if (!await db.KnownPatients.AnyAsync(p => p.Snils == snils, ct)) return false;

        var today = MoscowTime.DateOf(time.GetUtcNow());
        var request = new PublishCertificateRequest(
            Number: "9" + snils,
            Snils: snils,
            IssuedOn: today.AddDays(-20),
            Status: SickLeaveStatuses.Closed,
            ReasonCode: "01",
            Regime: "outpatient",
            Doctor: new DoctorDto("Смирнова Елена Викторовна", "врач-терапевт участковый"),
            Periods: [new PeriodDto(today.AddDays(-20), today.AddDays(-14), null), new PeriodDto(today.AddDays(-13), today.AddDays(-10), null)],
            ReturnToWorkOn: today.AddDays(-9),
            AnnulmentReason: null);
        CertificateValidator.Validate(request, today, out var valid);
        var outcome = await scope.ServiceProvider.GetRequiredService<CertificatePublishing>().PublishAsync(valid!,
            new Publisher(OrganizationId, OrganizationName, "demo-data"), beforeSave: null, ct);
        logger.LogInformation("Demo sick-leave certificate for the demo patient: {Result}", outcome.Result);
        // A repeat or a conflict (the demo certificate already moved on) both mean it is there.
        return true;
    }
}
