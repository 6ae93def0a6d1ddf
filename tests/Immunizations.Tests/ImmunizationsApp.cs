using Gosuslugi.Health.Immunizations.Data;
using Gosuslugi.Health.Immunizations.Domain;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.TestInfrastructure;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Immunizations.Tests;

/// <summary>
/// The Immunizations service on its own database and RabbitMQ virtual host of the shared test servers, with
/// tokens from a <see cref="TestTokenIssuer"/>.
/// </summary>
public sealed class ImmunizationsApp() : ServiceUnderTest<Program, ImmunizationsDb>("immunizations")
{
    public SaveChangesRecorder SaveChanges { get; } = new();

    public IBus Bus => Factory.Services.GetRequiredService<IBus>();

    protected override void ConfigureWebHost(IWebHostBuilder web) =>
        web.ConfigureTestServices(services =>
            services.ConfigureDbContext<ImmunizationsDb>(options => options.AddInterceptors(SaveChanges)));

    public HttpClient OrganizationClient(Guid organizationId, string name = "ГБУЗ «Городская поликлиника № 1»") =>
        CreateClient(Issuer.CreateToken($"client-{organizationId:N}", [HealthClaims.Roles.MedicalOrganization],
            [HealthClaims.Scopes.HealthPublish],
            new Dictionary<string, object> { ["org_id"] = organizationId.ToString(), ["org_name"] = name }));

    /// <summary>Makes a patient known directly in the database, as the PatientRegistered consumer would.</summary>
    public async Task<(Guid PatientId, string Snils)> AddKnownPatientAsync(DateOnly? birthDate = null)
    {
        var patientId = Guid.CreateVersion7();
        var snils = TestSnils.Next();
        await WithDbAsync(async db =>
        {
            db.KnownPatients.Add(new KnownPatient(patientId, snils, birthDate ?? new DateOnly(1985, 4, 12), DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });
        return (patientId, snils);
    }
}

[CollectionDefinition(Name)]
public sealed class ImmunizationsCollection : ICollectionFixture<ImmunizationsApp>
{
    public const string Name = "immunizations";
}
