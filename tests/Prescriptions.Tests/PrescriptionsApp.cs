using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Prescriptions.Data;
using Gosuslugi.Health.Prescriptions.Domain;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Gosuslugi.Health.Prescriptions.Tests;

/// <summary>The Prescriptions service on its own database, RabbitMQ virtual host and SoftHSM token of the test servers.</summary>
public class PrescriptionsApp() : ServiceUnderTest<Program, PrescriptionsDb>("prescriptions")
{
    private readonly Dictionary<string, string?> _hsm = TestHsm.NewTokenSettings("prescriptions-tests");

    protected virtual bool DemoData => false;

    protected override void ConfigureWebHost(IWebHostBuilder web)
    {
        foreach (var (key, value) in _hsm) web.UseSetting(key, value);
        web.UseSetting("Prescriptions:DemoData:Enabled", DemoData ? "true" : "false");
    }

    public MassTransit.IBus Bus => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<MassTransit.IBus>(Factory.Services);

    public HttpClient OrganizationClient(Guid organizationId, string name = "ГБУЗ «Городская поликлиника № 1»") =>
        CreateClient(Issuer.CreateToken($"client-{organizationId:N}", [HealthClaims.Roles.MedicalOrganization],
            [HealthClaims.Scopes.HealthPublish],
            new Dictionary<string, object> { ["org_id"] = organizationId.ToString(), ["org_name"] = name },
            clientId: $"client-{organizationId:N}"));

    public HttpClient PharmacyClient(Guid pharmacyId) =>
        CreateClient(Issuer.CreateToken($"pharmacy-{pharmacyId:N}", [HealthClaims.Roles.Pharmacy], [HealthClaims.Scopes.HealthPharmacy],
            new Dictionary<string, object> { ["org_id"] = pharmacyId.ToString(), ["org_name"] = "Аптека" },
            clientId: $"pharmacy-{pharmacyId:N}"));

    public HttpClient DoctorClient(Guid organizationId) =>
        CreateClient(Issuer.CreateToken(Guid.CreateVersion7().ToString(), [HealthClaims.Roles.Doctor], [HealthClaims.Scopes.Health],
            new Dictionary<string, object> { ["org_id"] = organizationId.ToString(), ["org_name"] = "ГБУЗ", ["name"] = "Иванова М. П." }));

    public HttpClient AdminClient() =>
        CreateClient(Issuer.CreateToken(Guid.CreateVersion7().ToString(), [HealthClaims.Roles.Admin], [HealthClaims.Scopes.Health]));

    public async Task<(Guid PatientId, string Snils)> AddKnownPatientAsync()
    {
        var patientId = Guid.CreateVersion7();
        var snils = TestSnils.Next();
        await WithDbAsync(async db =>
        {
            db.KnownPatients.Add(new KnownPatient { PatientId = patientId, Snils = snils, BirthDate = new DateOnly(1980, 1, 2), RegisteredAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        return (patientId, snils);
    }

    public async Task<Guid> AddPharmacyAsync(bool preferential = true)
    {
        var id = Guid.CreateVersion7();
        await WithDbAsync(async db =>
        {
            db.Pharmacies.Add(new Pharmacy { Id = id, Name = "Аптека № " + id.ToString()[^4..], Address = "Москва, ул. Тверская, 1", Hours = "круглосуточно", ServesPreferential = preferential });
            await db.SaveChangesAsync();
        });
        return id;
    }

    /// <summary>A valid MedicationRequest of the profile.</summary>
    public static JsonObject MedicationRequest(string snils, string externalId, decimal quantity = 2, string? validFrom = null,
        string? validUntil = null, string medication = "Эналаприл 10 мг, таблетки") => new()
    {
        ["resourceType"] = "MedicationRequest",
        ["identifier"] = new JsonArray(new JsonObject { ["system"] = "urn:oid:1.2.643.5.1.13", ["value"] = externalId }),
        ["status"] = "active",
        ["intent"] = "order",
        ["medicationCodeableConcept"] = new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject { ["system"] = "urn:oid:1.2.643.5.1.13.13.11.1367", ["code"] = "21.20.10.112", ["display"] = medication }),
            ["text"] = medication,
        },
        ["subject"] = new JsonObject { ["identifier"] = new JsonObject { ["system"] = "urn:oid:1.2.643.100.3", ["value"] = snils } },
        ["authoredOn"] = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd"),
        ["requester"] = new JsonObject { ["display"] = "Петрова Анна Сергеевна, терапевт" },
        ["dosageInstruction"] = new JsonArray(new JsonObject
        {
            ["text"] = "По 1 таблетке 2 раза в день",
            ["timing"] = new JsonObject { ["repeat"] = new JsonObject { ["frequency"] = 2, ["period"] = 1, ["periodUnit"] = "d" } },
            ["doseAndRate"] = new JsonArray(new JsonObject { ["doseQuantity"] = new JsonObject { ["value"] = 1, ["unit"] = "таб." } }),
        }),
        ["dispenseRequest"] = new JsonObject
        {
            ["validityPeriod"] = new JsonObject
            {
                ["start"] = validFrom ?? DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1).ToString("yyyy-MM-dd"),
                ["end"] = validUntil ?? DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30).ToString("yyyy-MM-dd"),
            },
            ["quantity"] = new JsonObject { ["value"] = quantity, ["unit"] = "уп." },
        },
    };

    public async Task<Guid> PublishAsync(string snils, decimal quantity = 2, string? validFrom = null, string? validUntil = null, Guid? organizationId = null)
    {
        using var client = OrganizationClient(organizationId ?? Guid.CreateVersion7());
        using var response = await client.PostAsync("/fhir/R4/MedicationRequest", AsFhir(MedicationRequest(snils, "RX-" + Guid.NewGuid().ToString("N")[..12], quantity, validFrom, validUntil)));
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 201) throw new InvalidOperationException($"{response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<Guid>();
    }

    public static StringContent AsFhir(JsonNode body) => AsFhir(body.ToJsonString());

    public static StringContent AsFhir(string body) => new(body, System.Text.Encoding.UTF8, "application/fhir+json");

    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static Task<HttpResponseMessage> SendToPharmacyAsync(HttpClient client, Guid prescriptionId, Guid pharmacyId, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/prescriptions/{prescriptionId}/pharmacy")
        {
            Content = JsonContent.Create(new { pharmacyId }),
        };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}

/// <summary>The service with demo data on, on a database of its own (the demo patient is the first one it learns of).</summary>
public sealed class PrescriptionsDemoApp : PrescriptionsApp
{
    protected override bool DemoData => true;
}

[CollectionDefinition(Name)]
public sealed class PrescriptionsCollection : ICollectionFixture<PrescriptionsApp>
{
    public const string Name = "prescriptions";
}
