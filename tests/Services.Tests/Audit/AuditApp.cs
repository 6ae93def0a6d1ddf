using System.Collections.Concurrent;
using Gosuslugi.Health.Audit.Data;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.TestInfrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Services.Tests.Audit;

/// <summary>The Audit service on its own database and RabbitMQ virtual host; every web assembly has a Program, so the DbContext is the marker.</summary>
public sealed class AuditApp() : ServiceUnderTest<AuditDb, AuditDb>("audit")
{
    public IBus Bus => Factory.Services.GetRequiredService<IBus>();

    /// <summary>Every <see cref="RecordOpenedByNewOrganization"/> Audit published, as a subscriber on the bus receives it.</summary>
    public ConcurrentBag<RecordOpenedByNewOrganization> RecordsOpened { get; } = [];

    protected override async Task OnReadyAsync()
    {
        var handle = Bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), DefaultEndpointNameFormatter.Instance, endpoint =>
            endpoint.Handler<RecordOpenedByNewOrganization>(context =>
            {
                RecordsOpened.Add(context.Message);
                return Task.CompletedTask;
            }));
        await handle.Ready;
    }

    public HttpClient PatientClient(Guid patientId, IDictionary<string, object>? claims = null) =>
        CreateClient(Issuer.CreateToken(patientId.ToString(), ["patient"], ["health"], claims));

    /// <summary>The patient's own token that passes the MedicalData policy (confirmed account, consent in force).</summary>
    public HttpClient MedicalClient(Guid patientId) => PatientClient(patientId, new Dictionary<string, object>
    {
        ["acc_level"] = "confirmed",
        ["pd_consent"] = "true",
    });

    /// <summary>A representative's token acting for <paramref name="principalId"/> (full delegation unless <paramref name="limited"/>).</summary>
    public HttpClient RepresentativeClient(Guid principalId, Guid representativeId, bool limited = false) =>
        CreateClient(Issuer.CreateToken(principalId.ToString(), ["patient"],
            [limited ? "health.delegated.limited" : "health.delegated.records"],
            new Dictionary<string, object>
            {
                ["act"] = new Dictionary<string, object> { ["sub"] = representativeId.ToString() },
                ["del"] = Guid.CreateVersion7().ToString(),
                ["acc_level"] = "confirmed",
            }));

    /// <summary>A DbContext on the owner's connection (the service itself works as the restricted role).</summary>
    public AuditDb OwnerDb() => new(new DbContextOptionsBuilder<AuditDb>().UseNpgsql(ConnectionString).UseSnakeCaseNamingConvention().Options);

    public static PatientDataAccessed Access(Guid patientId, string actorRole = AccessActorRoles.Doctor, Guid? organizationId = null,
        string section = RecordSections.LabResults, string action = AccessActions.Read, string outcome = AccessOutcomes.Allowed,
        DateTimeOffset? occurredAt = null, Guid? actorId = null, string purpose = "просмотр результатов анализов") => new(
        EventId: Guid.CreateVersion7(),
        PatientId: patientId,
        ActorId: actorId ?? Guid.CreateVersion7(),
        ActorRole: actorRole,
        ActorName: actorRole == AccessActorRoles.Doctor ? "Иванова Мария Петровна" : null,
        OrganizationId: organizationId,
        OrganizationName: organizationId is null ? null : "ГБУЗ «Городская поликлиника № 1»",
        DelegationId: actorRole == AccessActorRoles.Representative ? Guid.CreateVersion7() : null,
        ClientId: "gosuslugi-web",
        Service: "records",
        Section: section,
        ItemId: Guid.CreateVersion7(),
        Action: action,
        Purpose: purpose,
        IpAddress: "198.51.100.23",
        UserAgent: "Mozilla/5.0 (X11; Linux x86_64)",
        Outcome: outcome,
        OccurredAt: occurredAt ?? DateTimeOffset.UtcNow);

    /// <summary>Publishes the events on the real bus and waits until Audit has chained them all.</summary>
    public async Task ChainAsync(params PatientDataAccessed[] events)
    {
        await Task.WhenAll(events.Select(e => Bus.Publish(e)));
        var ids = events.Select(e => e.EventId).ToList();
        await EventuallyAsync(async () =>
            await WithDbAsync(db => db.AccessEvents.CountAsync(e => ids.Contains(e.EventId))) == ids.Count, $"{ids.Count} chained access events");
    }

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
