using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.TestInfrastructure;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Gosuslugi.Health.ServiceDefaults.Patients;

namespace Gosuslugi.Health.Records.Tests;

/// <summary>
/// The Records service on its own database and RabbitMQ virtual host of the shared test servers, with tokens from a
/// <see cref="TestTokenIssuer"/>.
/// </summary>
public sealed class RecordsApp : ServiceUnderTest<Program, RecordsDb>
{
    // One token for every instance of the fixture: their patients' keys are wrapped by the same key-encryption key.
    private readonly Dictionary<string, string?> _hsm = TestHsm.NewTokenSettings("records-tests");
    private readonly string? _existingDatabase;

    public RecordsApp() : base("records")
    {
    }

    /// <summary>The service on a database made beforehand (an older version's, to test its migration).</summary>
    internal RecordsApp(string existingDatabase) : base("records") => _existingDatabase = existingDatabase;

    protected override void ConfigureWebHost(IWebHostBuilder web)
    {
        foreach (var (key, value) in _hsm) web.UseSetting(key, value);
        if (_existingDatabase is not null) web.UseSetting("ConnectionStrings:recordsdb", _existingDatabase);
    }

    public IBus Bus => Factory.Services.GetRequiredService<IBus>();

    /// <summary>A medical organization's machine client (client credentials, scope health.publish).</summary>
    public HttpClient OrganizationClient(Guid organizationId, string name = "ГБУЗ «Городская поликлиника № 1»") =>
        CreateClient(Issuer.CreateToken($"client-{organizationId:N}", [HealthClaims.Roles.MedicalOrganization],
            [HealthClaims.Scopes.HealthPublish],
            new Dictionary<string, object> { ["org_id"] = organizationId.ToString(), ["org_name"] = name },
            clientId: $"client-{organizationId:N}"));

    /// <summary>A doctor of <paramref name="organizationId"/> (role doctor, scope health, org_id).</summary>
    public HttpClient DoctorClient(Guid doctorId, Guid organizationId, string organizationName = "ГБУЗ «Городская поликлиника № 1»",
        string name = "Иванова Мария Петровна") =>
        CreateClient(Issuer.CreateToken(doctorId.ToString(), [HealthClaims.Roles.Doctor], [HealthClaims.Scopes.Health],
            new Dictionary<string, object> { ["org_id"] = organizationId.ToString(), ["org_name"] = organizationName, ["name"] = name }));

    public HttpClient AdminClient(Guid? adminId = null) =>
        CreateClient(Issuer.CreateToken((adminId ?? Guid.CreateVersion7()).ToString(), [HealthClaims.Roles.Admin], [HealthClaims.Scopes.Health]));

    /// <summary>Makes a patient known directly in the database, as the PatientRegistered consumer would.</summary>
    public async Task<(Guid PatientId, string Snils)> AddKnownPatientAsync(string familyName = "Смирнова",
        string givenName = "Анна", string? middleName = "Сергеевна", DateOnly? birthDate = null)
    {
        var patientId = Guid.CreateVersion7();
        var snils = TestSnils.Next();
        await WithDbAsync(async db =>
        {
            db.KnownPatients.Add(new KnownPatient
            {
                PatientId = patientId, Snils = snils, FamilyName = familyName, GivenName = givenName,
                MiddleName = middleName, BirthDate = birthDate ?? new DateOnly(1985, 4, 12), RegisteredAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        return (patientId, snils);
    }
}

[CollectionDefinition(Name)]
public sealed class RecordsCollection : ICollectionFixture<RecordsApp>
{
    public const string Name = "records";
}
