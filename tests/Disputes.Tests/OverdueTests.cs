using System.Net;
using System.Net.Http.Json;
using Gosuslugi.Health.Contracts.Disputes;
using Gosuslugi.Health.Disputes.Overdue;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Disputes.Tests;

[Collection(DisputesCollection.Name)]
public sealed class OverdueTests(DisputesApp app)
{
    /// <summary>Moves the request's due time into the past, as if 30 days had gone by.</summary>
    private Task ExpireAsync(Guid requestId) => app.WithDbAsync(db =>
        db.DataRequests.Where(r => r.Id == requestId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.DueAt, DateTimeOffset.UtcNow.AddMinutes(-1))));

    private Task SweepAsync() => app.WithDbAsync(db => OverdueDataRequests.SweepAsync(db, TimeProvider.System));

    private async Task<string> StatusAsync(Guid requestId) =>
        await app.WithDbAsync(db => db.DataRequests.Where(r => r.Id == requestId).Select(r => r.Status).SingleAsync());

    [Fact]
    public async Task Unanswered_requests_past_their_due_time_become_overdue_once_and_the_patient_sees_it()
    {
        var patientId = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var submitted = await PatientDataRequestsTests.SubmitAsync(app, patientId, organizationId);
        var inProgress = await PatientDataRequestsTests.SubmitAsync(app, patientId, organizationId, "visit");
        var answered = await PatientDataRequestsTests.SubmitAsync(app, patientId, organizationId, "protocol");
        var notYetDue = await PatientDataRequestsTests.SubmitAsync(app, patientId, organizationId, "discharge");
        using var organization = app.OrganizationClient(organizationId);
        (await organization.PostAsJsonAsync($"{OrganizationDataRequestsTests.Route}/{inProgress}/status", new { status = "in_progress" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await organization.PostAsJsonAsync($"{OrganizationDataRequestsTests.Route}/{answered}/status",
            new { status = "answered", answer = "Протокол добавлен." })).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var id in new[] { submitted, inProgress, answered }) await ExpireAsync(id);

        // The service's own sweeper may get there first; either way each request turns overdue exactly once.
        await SweepAsync();
        await SweepAsync();

        (await StatusAsync(submitted)).ShouldBe("overdue");
        (await StatusAsync(inProgress)).ShouldBe("overdue");
        (await StatusAsync(answered)).ShouldBe("answered");
        (await StatusAsync(notYetDue)).ShouldBe("submitted");
        foreach (var id in new[] { submitted, inProgress })
        {
            var overdue = (await app.OutboxEventsAsync<DataRequestStatusChanged>(id))
                .Where(e => e["status"]!.GetValue<string>() == "overdue").ToList();
            overdue.ShouldHaveSingleItem()["patientId"]!.GetValue<Guid>().ShouldBe(patientId);
        }

        using var patient = app.PatientClient(patientId);
        var read = await (await patient.GetAsync($"{PatientDataRequestsTests.Route}/{submitted}")).ReadObjectAsync();
        read["statusTitle"]!.GetValue<string>().ShouldBe("Срок ответа истёк");
        var last = read["history"]!.AsArray()[^1]!;
        last["status"]!.GetValue<string>().ShouldBe("overdue");
        last["byRole"]!.GetValue<string>().ShouldBe("system");
        read["history"]!.AsArray().Count(h => h!["status"]!.GetValue<string>() == "overdue").ShouldBe(1);

        using var overdueList = await patient.GetAsync($"{PatientDataRequestsTests.Route}?status=overdue");
        (await overdueList.ReadObjectAsync())["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>())
            .ShouldBe([inProgress, submitted]);
    }

    [Fact]
    public async Task An_overdue_request_can_still_be_answered_late()
    {
        var patientId = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var id = await PatientDataRequestsTests.SubmitAsync(app, patientId, organizationId);
        await ExpireAsync(id);
        await SweepAsync();
        (await StatusAsync(id)).ShouldBe("overdue");

        using var organization = app.OrganizationClient(organizationId);
        using var answered = await organization.PostAsJsonAsync($"{OrganizationDataRequestsTests.Route}/{id}/status",
            new { status = "answered", answer = "С опозданием: данные добавлены." });
        answered.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await StatusAsync(id)).ShouldBe("answered");
    }
}
