using Gosuslugi.Health.Audit.Data;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.TestInfrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Services.Tests.Audit;

/// <summary>The Audit service on its own database and RabbitMQ virtual host; every web assembly has a Program, so the DbContext is the marker.</summary>
public sealed class AuditApp() : ServiceUnderTest<AuditDb, AuditDb>("audit")
{
    public IBus Bus => Factory.Services.GetRequiredService<IBus>();

    public HttpClient PatientClient(Guid patientId, IDictionary<string, object>? claims = null) =>
        CreateClient(Issuer.CreateToken(patientId.ToString(), ["patient"], ["health"], claims));

    public HttpClient AdminClient() => CreateClient(Issuer.CreateToken(Guid.CreateVersion7().ToString(), ["admin"], []));

    public static SecurityEventRecorded Event(Guid? subjectId, string kind = SecurityEventKinds.SignInSucceeded,
        IReadOnlyDictionary<string, string>? details = null) => new(
        EventId: Guid.CreateVersion7(),
        Kind: kind,
        SubjectId: subjectId,
        ActorId: null,
        ClientId: "gosuslugi-web",
        IpAddress: "203.0.113.7",
        UserAgent: "Mozilla/5.0 (X11; Linux x86_64)",
        Outcome: "success",
        Details: details ?? new Dictionary<string, string> { ["amr"] = "pwd otp", ["session_id"] = Guid.NewGuid().ToString() },
        OccurredAt: DateTimeOffset.UtcNow);

    /// <summary>Polls until <paramref name="probe"/> is true.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> probe, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await probe())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AuditCollection : ICollectionFixture<AuditApp>
{
    public const string Name = "audit";
}
