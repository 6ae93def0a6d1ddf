using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Gosuslugi.Health.SickLeave.Data;
using Gosuslugi.Health.SickLeave.Domain;
using Gosuslugi.Health.TestInfrastructure;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Gosuslugi.Health.ServiceDefaults.Patients;

namespace Gosuslugi.Health.SickLeave.Tests;

/// <summary>
/// The SickLeave service on its own database, RabbitMQ virtual host and SoftHSM token of the shared test servers, with
/// tokens from a <see cref="TestTokenIssuer"/>.
/// </summary>
public sealed class SickLeaveApp() : ServiceUnderTest<Program, SickLeaveDb>("sickleave")
{
    public const string Route = "/api/v1/sick-leave";
    public const string PublishRoute = Route + "/organization/certificates";
    public const string CertificatesRoute = Route + "/certificates";
    public const string RequestsRoute = Route + "/requests";
    public const string OrganizationRequestsRoute = Route + "/organization/requests";

    private readonly Dictionary<string, string?> _hsm = TestHsm.NewTokenSettings("sickleave-tests");

    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    protected override void ConfigureWebHost(IWebHostBuilder web)
    {
        foreach (var (key, value) in _hsm) web.UseSetting(key, value);
        // The sweep is driven by the tests (OverdueRequests.SweepAsync with their own clock).
        web.UseSetting("SickLeave:OverdueSweep:Interval", "01:00:00");
    }

    public IBus Bus => Factory.Services.GetRequiredService<IBus>();

    public HttpClient OrganizationClient(Guid organizationId, string name = "ГБУЗ «Городская поликлиника № 1»") =>
        CreateClient(Issuer.CreateToken($"client-{organizationId:N}", [HealthClaims.Roles.MedicalOrganization],
            [HealthClaims.Scopes.HealthPublish],
            new Dictionary<string, object> { ["org_id"] = organizationId.ToString(), ["org_name"] = name },
            clientId: $"client-{organizationId:N}"));

    public HttpClient DoctorClient(Guid organizationId) =>
        CreateClient(Issuer.CreateToken(Guid.CreateVersion7().ToString(), [HealthClaims.Roles.Doctor], [HealthClaims.Scopes.Health],
            new Dictionary<string, object> { ["org_id"] = organizationId.ToString(), ["org_name"] = "ГБУЗ «Городская поликлиника № 1»", ["name"] = "Петрова Анна Сергеевна" }));

    public HttpClient AdminClient() =>
        CreateClient(Issuer.CreateToken(Guid.CreateVersion7().ToString(), [HealthClaims.Roles.Admin], [HealthClaims.Scopes.Health]));

    public HttpClient RepresentativeClient(Guid patientId, string scope = TestTokenIssuer.DelegatedRecordsScope) =>
        CreateClient(Issuer.CreateDelegatedToken(patientId, Guid.CreateVersion7(), Guid.CreateVersion7(), scope));

    /// <summary>Makes a patient known directly in the database, as the PatientRegistered consumer would.</summary>
    public async Task<(Guid PatientId, string Snils)> AddKnownPatientAsync()
    {
        var patientId = Guid.CreateVersion7();
        var snils = TestSnils.Next();
        await WithDbAsync(async db =>
        {
            db.KnownPatients.Add(new KnownPatient
            {
                PatientId = patientId, Snils = snils, FamilyName = "Соколова", GivenName = "Анна", MiddleName = "Дмитриевна",
                BirthDate = new DateOnly(1988, 6, 21), RegisteredAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        return (patientId, snils);
    }

    private static int _number = Random.Shared.Next(1_000_000, 9_000_000);

    /// <summary>A fresh 12-digit certificate number.</summary>
    public static string NextNumber() => "91" + Interlocked.Increment(ref _number).ToString("D10", System.Globalization.CultureInfo.InvariantCulture);

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(3));

    /// <summary>A publication body: open with one period by default; more periods and a status for the later steps.</summary>
    public static JsonObject Certificate(string number, string snils, string status = "open", int periods = 1,
        DateOnly? returnToWorkOn = null, string? annulmentReason = null, string reasonCode = "01")
    {
        var start = Today.AddDays(-30);
        var list = new JsonArray();
        for (var i = 0; i < periods; i++)
        {
            list.Add(new JsonObject
            {
                ["from"] = start.AddDays(7 * i).ToString("yyyy-MM-dd"),
                ["to"] = start.AddDays(7 * i + 6).ToString("yyyy-MM-dd"),
                ["doctorName"] = i == 0 ? null : "Кузнецов Павел Андреевич",
            });
        }
        return new JsonObject
        {
            ["number"] = number,
            ["snils"] = snils,
            ["issuedOn"] = start.ToString("yyyy-MM-dd"),
            ["status"] = status,
            ["reasonCode"] = reasonCode,
            ["regime"] = "outpatient",
            ["doctor"] = new JsonObject { ["name"] = "Смирнова Елена Викторовна", ["position"] = "врач-терапевт участковый" },
            ["periods"] = list,
            ["returnToWorkOn"] = returnToWorkOn?.ToString("yyyy-MM-dd"),
            ["annulmentReason"] = annulmentReason,
        };
    }

    /// <summary>The last day of the periods of <see cref="Certificate"/> with <paramref name="periods"/> periods.</summary>
    public static DateOnly EndOf(int periods) => Today.AddDays(-30 + 7 * (periods - 1) + 6);

    /// <summary>Publishes and returns the answer's JSON, checking the status code.</summary>
    public static async Task<JsonObject> PublishAsync(HttpClient organization, JsonObject body, HttpStatusCode expected)
    {
        using var response = await organization.PostAsJsonAsync(PublishRoute, body);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>A known patient with one open certificate of <paramref name="organizationId"/>.</summary>
    public async Task<(Guid PatientId, string Snils, Guid CertificateId, string Number)> PatientWithCertificateAsync(Guid? organizationId = null)
    {
        var (patientId, snils) = await AddKnownPatientAsync();
        var number = NextNumber();
        using var organization = OrganizationClient(organizationId ?? Guid.CreateVersion7());
        var created = await PublishAsync(organization, Certificate(number, snils), HttpStatusCode.Created);
        return (patientId, snils, created["id"]!.GetValue<Guid>(), number);
    }

    /// <summary>Publishes a message under its own id and waits until the named consumer processed it (its inbox row).</summary>
    public async Task PublishAndWaitAsync<T>(T message, string consumer) where T : class
    {
        var messageId = Guid.CreateVersion7();
        await Bus.Publish(message, c => c.MessageId = messageId);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await WithDbAsync(db => db.Set<InboxMessage>().AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{typeof(T).Name} not processed by {consumer}.");
            await Task.Delay(100);
        }
    }

    /// <summary>The patient is attached to <paramref name="organizationId"/> from today (Appointments' event).</summary>
    public Task AttachAsync(Guid patientId, Guid organizationId) =>
        PublishAndWaitAsync(new PatientAttached(Guid.CreateVersion7(), patientId, organizationId, "ГБУЗ «Городская поликлиника № 1»",
            Today, DateTimeOffset.UtcNow), "care-patient-attached");

    /// <summary>The patient's access events in the outbox, in the order they were written.</summary>
    public async Task<List<PatientDataAccessed>> AccessEventsAsync(Guid patientId) =>
        (await OutboxPayloadsAsync(typeof(PatientDataAccessed).FullName!, patientId))
        .Select(p => p.Deserialize<PatientDataAccessed>(Web)!).ToList();

    public async Task<List<T>> EventsAsync<T>(Guid patientId) =>
        (await OutboxPayloadsAsync(typeof(T).FullName!, patientId)).Select(p => p.Deserialize<T>(Web)!).ToList();
}

[CollectionDefinition(Name)]
public sealed class SickLeaveCollection : ICollectionFixture<SickLeaveApp>
{
    public const string Name = "sickleave";
}

public static class JsonDates
{
    /// <summary>A JSON date (ГГГГ-ММ-ДД) as a <see cref="DateOnly"/>.</summary>
    public static DateOnly AsDate(this System.Text.Json.Nodes.JsonNode node) =>
        DateOnly.ParseExact(node.GetValue<string>(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
