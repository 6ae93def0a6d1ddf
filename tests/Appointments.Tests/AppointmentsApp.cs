using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.TestInfrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Appointments.Tests;

/// <summary>
/// The Appointments service on its own database and RabbitMQ virtual host of the shared test servers, with tokens
/// from a <see cref="TestTokenIssuer"/>.
/// </summary>
public sealed class AppointmentsApp() : ServiceUnderTest<Program, AppointmentsDb>("appointments")
{
    public IBus Bus => Factory.Services.GetRequiredService<IBus>();

    public HttpClient OrganizationClient(Guid organizationId, string name = "ГБУЗ «Городская поликлиника № 1»") =>
        CreateClient(Issuer.CreateToken($"client-{organizationId:N}", [HealthClaims.Roles.MedicalOrganization],
            [HealthClaims.Scopes.HealthPublish],
            new Dictionary<string, object> { ["org_id"] = organizationId.ToString(), ["org_name"] = name }));

    public HttpClient DoctorClient(Guid accountId, Guid organizationId, string name = "Петрова Анна Сергеевна") =>
        CreateClient(Issuer.CreateToken(accountId.ToString(), [HealthClaims.Roles.Doctor], [HealthClaims.Scopes.Health],
            new Dictionary<string, object> { ["org_id"] = organizationId.ToString(), ["name"] = name }));

    public HttpClient AdminClient() =>
        CreateClient(Issuer.CreateToken(Guid.CreateVersion7().ToString(), [HealthClaims.Roles.Admin], []));

    /// <summary>
    /// A patient who may book, known directly in the database as identity's events would make them: a confirmed
    /// account and an OMS policy in force (unless told otherwise).
    /// </summary>
    public async Task<Guid> AddPatientAsync(string accountLevel = HealthClaims.AccountLevels.Confirmed, bool withOms = true,
        string? snils = null)
    {
        var patientId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        await WithDbAsync(async db =>
        {
            db.KnownPatients.Add(new KnownPatient
            {
                PatientId = patientId,
                Snils = snils ?? TestSnils.Next(),
                FamilyName = "Иванова",
                GivenName = "Мария",
                MiddleName = "Петровна",
                BirthDate = new DateOnly(1985, 4, 12),
                RegisteredAt = now,
                AccountLevel = accountLevel,
                AccountLevelAt = now,
                OmsValidFrom = withOms ? new DateOnly(2015, 1, 1) : null,
                OmsChangedAt = withOms ? now : null,
            });
            await db.SaveChangesAsync();
        });
        return patientId;
    }
}

[CollectionDefinition(Name)]
public sealed class AppointmentsCollection : ICollectionFixture<AppointmentsApp>
{
    public const string Name = "appointments";
}
