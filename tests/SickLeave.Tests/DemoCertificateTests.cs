using Gosuslugi.Health.Contracts.SickLeave;
using Gosuslugi.Health.SickLeave.Demo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.SickLeave.Tests;

/// <summary>In development, the demo patient named in identity's demo.json gets one certificate, once, whenever both are there.</summary>
[Collection(SickLeaveCollection.Name)]
public sealed class DemoCertificateTests(SickLeaveApp app)
{
    [Fact]
    public async Task The_demo_patient_gets_one_closed_certificate_and_a_restart_adds_nothing()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var folder = Directory.CreateTempSubdirectory("sickleave-demo-");
        var file = Path.Combine(folder.FullName, "demo.json");
        await File.WriteAllTextAsync(file, $$"""{ "patient": { "username": "patient", "snils": "{{snils}}" } }""");
        try
        {
            for (var start = 0; start < 2; start++)
            {
                // Another instance on the same database with the AppHost's development setting.
                await using var instance = app.Factory.WithWebHostBuilder(web => web.UseSetting(DemoCertificate.DemoFileKey, file));
                var seeder = instance.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<DemoCertificate>().Single();
                await seeder.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(60));
            }

            var certificate = await app.WithDbAsync(db => db.Certificates.AsNoTracking().SingleAsync(c => c.PatientId == patientId));
            certificate.Number.ShouldBe("9" + snils);
            certificate.Status.ShouldBe(SickLeaveStatuses.Closed);
            certificate.OrganizationName.ShouldBe(DemoCertificate.OrganizationName);
            (await app.EventsAsync<SickLeaveCertificateChanged>(patientId)).Count.ShouldBe(1);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
