using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Prescriptions.Tests;

public sealed class DemoDataTests : IClassFixture<PrescriptionsDemoApp>
{
    private readonly PrescriptionsDemoApp _app;

    public DemoDataTests(PrescriptionsDemoApp app) => _app = app;

    private async Task RegisterAsync(Guid patientId)
    {
        await _app.Bus.Publish(new PatientRegistered(patientId, TestSnils.Next(), "Иванова", "Мария", "Петровна",
            new DateOnly(1985, 3, 14), DateTimeOffset.UtcNow));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await _app.WithDbAsync(db => db.KnownPatients.AnyAsync(p => p.PatientId == patientId)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("PatientRegistered was not consumed.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task The_first_registered_patient_gets_two_demo_prescriptions_and_the_next_one_none()
    {
        var demoPatient = Guid.CreateVersion7();
        var other = Guid.CreateVersion7();
        await RegisterAsync(demoPatient);
        await RegisterAsync(other);

        using var client = _app.PatientClient(demoPatient);
        var list = JsonNode.Parse(await client.GetStringAsync("/api/v1/prescriptions"))!["items"]!.AsArray();
        list.Count.ShouldBe(2);
        list.Select(i => i!["medication"]!["name"]!.GetValue<string>()).ShouldContain("Эналаприл 10 мг, таблетки");
        list.ShouldContain(i => i!["preferential"]!.GetValue<bool>());
        (await _app.WithDbAsync(db => db.Prescriptions.CountAsync(p => p.PatientId == other))).ShouldBe(0);
    }
}
