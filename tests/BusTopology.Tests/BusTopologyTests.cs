using System.Diagnostics;
using System.Reflection;
using Xunit.Abstractions;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Immunizations.Data;
using Gosuslugi.Health.TestInfrastructure;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.BusTopology.Tests;

public sealed class BusTopologyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private TestOutputLogger Log { get; } = new(output);

    [Fact]
    public void Every_service_of_the_repository_with_a_bus_is_deployed()
    {
        // Every web project of the repository (services, identity, whatever comes next; tests aside) that uses the bus.
        var root = RepositoryFolders.Root();
        var withBus = SourceFiles(root, "*.csproj")
            .Where(project => !Path.GetRelativePath(root, project).StartsWith("tests"))
            .Where(project => File.ReadAllText(project).Contains("Microsoft.NET.Sdk.Web"))
            .Where(project => SourceFiles(Path.GetDirectoryName(project)!, "*.cs")
                .Any(file => File.ReadAllText(file).Contains("AddServiceMessaging")))
            .Select(Path.GetFileNameWithoutExtension)
            .Order()
            .ToList();

        withBus.ShouldNotBeEmpty();
        BusTopologyDeployer.Services.Select(s => s.GetName().Name).Order().ShouldBe(withBus);
    }

    [Fact]
    public async Task The_deployer_declares_for_every_service_every_queue_its_consumers_need_bound_to_their_message_exchanges()
    {
        var broker = await Broker.CreateAsync();

        var deployed = await BusTopologyDeployer.DeployAsync(broker.ConnectionString, Log);
        var topology = await broker.TopologyAsync();
        foreach (var (service, queues) in deployed) output.WriteLine($"{service}: {string.Join(", ", queues)}");

        // Every consumer class of every service has a durable queue of that service that its message reaches.
        foreach (var service in BusTopologyDeployer.Services)
        {
            var name = BusTopologyDeployer.ServiceName(service);
            foreach (var (consumer, message) in Consumers(service))
            {
                var queues = deployed[name].Where(q => topology.Routes(ExchangeOf(message), q)).ToList();
                queues.ShouldNotBeEmpty($"{consumer.Name} of {name}: no queue bound to {ExchangeOf(message)}");
                queues.ShouldAllBe(q => q.StartsWith(name + "-"));
            }
        }

        // Named as the services name them (kebab case after the service; explicit names where a service gives one).
        topology.Routes(ExchangeOf(typeof(PatientRegistered)), "immunizations-patient-registered").ShouldBeTrue();
        topology.Routes(ExchangeOf(typeof(PatientRegistered)), "appointments-patient-registered").ShouldBeTrue();
        topology.Routes(ExchangeOf(typeof(PatientRegistered)), "records-patient-registered").ShouldBeTrue();
        topology.Routes(ExchangeOf(typeof(AccessRestrictionChanged)), "records-access-restrictions").ShouldBeTrue();
        topology.Routes(ExchangeOf(typeof(AccessRestrictionChanged)), "immunizations-access-restrictions").ShouldBeTrue();
        topology.Routes(ExchangeOf(typeof(SecurityEventRecorded)), "audit-security-event-recorded").ShouldBeTrue();
        deployed["notifications"].ShouldContain("notifications-reminders-appointment-booked");
        deployed["records"].ShouldContain("records-care-appointment-booked");
        // The shared care consumers (ServiceDefaults/Care) get a queue of each service that keeps care relationships.
        deployed["sickleave"].ShouldContain("sickleave-care-appointment-booked");
        topology.Routes(ExchangeOf(typeof(PatientRegistered)), "sickleave-patient-registered").ShouldBeTrue();
        deployed["identity"].ShouldBeEmpty();

        // Every queue lasts (durable, never auto-deleted) and has its _error and _skipped queue, each fed by its exchange.
        var all = deployed.Values.SelectMany(q => q).ToList();
        all.Count.ShouldBeGreaterThan(20);
        all.ShouldBeUnique();
        foreach (var queue in all)
        {
            foreach (var name in new[] { queue, queue + "_error", queue + "_skipped" })
            {
                var info = topology.Queue(name).ShouldNotBeNull($"queue {name}");
                info.Durable.ShouldBeTrue(name);
                info.AutoDelete.ShouldBeFalse(name);
                topology.Routes(name, name).ShouldBeTrue($"exchange {name} → queue {name}");
            }
        }
        // Nothing else is left behind (such as a deploying bus's own temporary queue).
        topology.Queues.Select(q => q.Name).Order().ShouldBe(all.SelectMany(q => new[] { q, q + "_error", q + "_skipped" }).Order());
    }

    [Fact]
    public async Task An_event_published_before_its_consumer_service_ever_started_is_consumed_once_it_starts()
    {
        var broker = await Broker.CreateAsync();
        await BusTopologyDeployer.DeployAsync(broker.ConnectionString, Log);

        var patientId = Guid.CreateVersion7();
        var snils = TestSnils.Next();
        await broker.PublishAsync(new PatientRegistered(patientId, snils, "Иванова", "Мария", "Петровна",
            new DateOnly(1987, 3, 8), DateTimeOffset.UtcNow));
        // A consumer's failure still ends in the _error queue the deployer declared (same settings as MassTransit's).
        var brokenId = Guid.CreateVersion7();
        await broker.PublishAsync(new PatientRegistered(brokenId, TestSnils.Broken(TestSnils.Next()), "Сидоров", "Олег", null,
            new DateOnly(1990, 1, 1), DateTimeOffset.UtcNow));
        // Immunizations has never run on this virtual host: the events wait in its queue.
        (await broker.MessageCountAsync("immunizations-patient-registered")).ShouldBe(2u);

        var immunizations = new LateImmunizations(broker.ConnectionString);
        try
        {
            await immunizations.InitializeAsync();

            var known = await WaitForAsync(() => immunizations.WithDbAsync(db =>
                db.KnownPatients.AsNoTracking().SingleOrDefaultAsync(p => p.PatientId == patientId)), "the patient published before the start");
            known.Snils.ShouldBe(snils);
            known.BirthDate.ShouldBe(new DateOnly(1987, 3, 8));

            await WaitForAsync(async () => await broker.MessageCountAsync("immunizations-patient-registered_error") == 1 ? "" : null,
                "the broken event in the _error queue");
            (await immunizations.WithDbAsync(db => db.KnownPatients.AnyAsync(p => p.PatientId == brokenId))).ShouldBeFalse();
            (await broker.MessageCountAsync("immunizations-patient-registered")).ShouldBe(0u);
        }
        finally
        {
            await immunizations.DisposeAsync();
        }
    }

    [Fact]
    public async Task Deploying_again_is_harmless()
    {
        var broker = await Broker.CreateAsync();
        var first = await BusTopologyDeployer.DeployAsync(broker.ConnectionString, Log);
        await broker.PublishAsync(new PatientRegistered(Guid.CreateVersion7(), TestSnils.Next(), "Петров", "Пётр", null,
            new DateOnly(1979, 11, 2), DateTimeOffset.UtcNow));
        var before = await broker.TopologyAsync();

        var second = await BusTopologyDeployer.DeployAsync(broker.ConnectionString, Log);

        var after = await broker.TopologyAsync();
        second.Keys.ShouldBe(first.Keys);
        foreach (var (service, queues) in first) second[service].ShouldBe(queues);
        after.Queues.OrderBy(q => q.Name).ShouldBe(before.Queues.OrderBy(q => q.Name));
        after.Exchanges.OrderBy(e => e.Name).ShouldBe(before.Exchanges.OrderBy(e => e.Name));
        after.Bindings.OrderBy(b => (b.Source, b.Destination)).ShouldBe(before.Bindings.OrderBy(b => (b.Source, b.Destination)));
        // The event waiting for its consumers is still there.
        (await broker.MessageCountAsync("immunizations-patient-registered")).ShouldBe(1u);
        (await broker.MessageCountAsync("records-patient-registered")).ShouldBe(1u);
    }

    [Fact]
    public async Task The_deployer_fails_with_a_non_zero_exit_code_when_the_broker_cannot_be_reached()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gosuslugi.Health.BusTopology.dll"));
        start.ArgumentList.Add("--ConnectionStrings:rabbitmq=amqp://guest:guest@127.0.0.1:1/");
        start.ArgumentList.Add("--BusTopology:Timeout=00:00:10");

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        output.WriteLine(await stdout);
        output.WriteLine(await stderr);

        process.ExitCode.ShouldNotBe(0);
        (await stdout).ShouldContain("Bus topology deployment failed");
    }

    /// <summary>Concrete consumer classes of a service's assembly with the message each consumes.</summary>
    private static IEnumerable<(Type Consumer, Type Message)> Consumers(Assembly service) =>
        from type in service.GetTypes()
        where type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
        from contract in type.GetInterfaces()
        where contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(IConsumer<>)
        select (type, contract.GetGenericArguments()[0]);

    /// <summary>MassTransit's exchange of a message type: "Namespace:Name".</summary>
    private static string ExchangeOf(Type message) => $"{message.Namespace}:{message.Name}";

    /// <summary>Files of the repository's sources: build output, local data and git's own folder are skipped.</summary>
    private static IEnumerable<string> SourceFiles(string directory, string pattern) =>
        Directory.EnumerateFiles(directory, pattern).Concat(Directory.EnumerateDirectories(directory)
            .Where(sub => Path.GetFileName(sub) is not ("bin" or "obj" or ".data" or ".git" or "node_modules"))
            .SelectMany(sub => SourceFiles(sub, pattern)));

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await probe() is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {Patience.TotalSeconds} s for {what}.");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Immunizations on a virtual host where events were published before it ever ran. Any public class of the service's
    /// assembly names its entry point (every service has its own <c>Program</c>).
    /// </summary>
    private sealed class LateImmunizations(string rabbitMq) : ServiceUnderTest<ImmunizationsDb, ImmunizationsDb>("immunizations")
    {
        protected override void ConfigureWebHost(IWebHostBuilder web)
        {
            web.UseSetting("ConnectionStrings:rabbitmq", rabbitMq);
            web.UseSetting("Messaging:Retry:Limit", "2");
            web.UseSetting("Messaging:Retry:MinInterval", "00:00:00.010");
            web.UseSetting("Messaging:Retry:MaxInterval", "00:00:00.050");
            web.UseSetting("Messaging:Retry:Delta", "00:00:00.010");
        }
    }
}
