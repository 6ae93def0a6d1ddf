using System.Net;
using System.Net.Http.Json;
using Gosuslugi.Health.Contracts.Prescriptions;
using Microsoft.EntityFrameworkCore;
using static Gosuslugi.Health.Prescriptions.Tests.PrescriptionsApp;

namespace Gosuslugi.Health.Prescriptions.Tests;

[Collection(PrescriptionsCollection.Name)]
public sealed class PatientAndPharmacyTests(PrescriptionsApp app)
{
    [Fact]
    public async Task The_patient_pages_through_their_prescriptions_newest_first_and_filters_current_and_past()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++) ids.Add(await app.PublishAsync(snils));
        var expired = await app.PublishAsync(snils, validFrom: "2025-01-01", validUntil: "2025-02-01");
        ids.Add(expired);
        using var client = app.PatientClient(patientId);

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await ReadObjectAsync(await client.GetAsync("/api/v1/prescriptions?limit=2" + (cursor is null ? "" : "&cursor=" + cursor)));
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        seen.ShouldBe(Enumerable.Reverse(ids).ToList());

        var current = await ReadObjectAsync(await client.GetAsync("/api/v1/prescriptions?status=current&limit=100"));
        current["items"]!.AsArray().Count.ShouldBe(5);
        var past = await ReadObjectAsync(await client.GetAsync("/api/v1/prescriptions?status=past"));
        var only = past["items"]!.AsArray().ShouldHaveSingleItem()!;
        only["id"]!.GetValue<Guid>().ShouldBe(expired);
        only["status"]!.GetValue<string>().ShouldBe("expired");

        (await client.GetAsync("/api/v1/prescriptions?status=nonsense")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.GetAsync("/api/v1/prescriptions?cursor=%%%")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_card_shows_dosage_validity_doctor_and_organization_and_each_read_is_an_access_event()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var id = await app.PublishAsync(snils);
        using var client = app.PatientClient(patientId);

        using var response = await client.GetAsync($"/api/v1/prescriptions/{id}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var card = (await ReadObjectAsync(response))["prescription"]!;
        card["medication"]!["name"]!.GetValue<string>().ShouldBe("Эналаприл 10 мг, таблетки");
        card["dosageText"]!.GetValue<string>().ShouldBe("По 1 таблетке 2 раза в день");
        card["dose"]!["frequency"]!.GetValue<int>().ShouldBe(2);
        card["doctorName"]!.GetValue<string>().ShouldStartWith("Петрова");
        card["organization"]!["name"]!.GetValue<string>().ShouldBe("ГБУЗ «Городская поликлиника № 1»");
        card["validUntil"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        var events = await app.OutboxPayloadsAsync(typeof(Gosuslugi.Health.Contracts.Audit.PatientDataAccessed).FullName!, patientId);
        events.ShouldContain(e => e.GetProperty("action").GetString() == "read" && e.GetProperty("itemId").GetString() == id.ToString());
    }

    [Fact]
    public async Task Another_patient_an_organization_an_admin_a_doctor_and_an_unrelated_pharmacy_get_nothing()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        var id = await app.PublishAsync(snils, organizationId: organizationId);
        var pharmacy = await app.AddPharmacyAsync();

        foreach (var client in new[] { app.PatientClient(Guid.CreateVersion7()) })
        {
            (await client.GetAsync($"/api/v1/prescriptions/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await client.GetAsync($"/api/v1/prescriptions/{id}/reference")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await SendToPharmacyAsync(client, id, pharmacy)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        foreach (var client in new[] { app.OrganizationClient(organizationId), app.AdminClient(), app.DoctorClient(organizationId) })
        {
            ((int)(await client.GetAsync($"/api/v1/prescriptions/{id}")).StatusCode).ShouldBeOneOf(403, 404);
            ((int)(await client.GetAsync($"/api/v1/prescriptions/{id}/reference")).StatusCode).ShouldBeOneOf(403, 404);
            ((int)(await client.GetAsync($"/api/v1/prescriptions/pharmacy/{id}")).StatusCode).ShouldBeOneOf(403, 404);
        }
        using var stranger = app.PharmacyClient(pharmacy);
        (await stranger.GetAsync($"/api/v1/prescriptions/pharmacy/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PostAsJsonAsync($"/api/v1/prescriptions/pharmacy/{id}/dispenses", new { quantity = 1 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PostAsync($"/api/v1/prescriptions/pharmacy/{id}/reservation", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/prescriptions/pharmacy/queue"))!["items"]!.AsArray().ShouldBeEmpty();
        (await app.WithDbAsync(db => db.Prescriptions.SingleAsync(p => p.Id == id))).DispensedQuantity.ShouldBe(0);
    }

    [Fact]
    public async Task Sent_to_a_pharmacy_with_an_idempotency_key_it_is_in_that_queue_reserved_and_partly_then_fully_dispensed()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var id = await app.PublishAsync(snils, quantity: 3);
        var pharmacy = await app.AddPharmacyAsync();
        using var patient = app.PatientClient(patientId);

        (await SendToPharmacyAsync(patient, id, pharmacy, "key-1")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SendToPharmacyAsync(patient, id, pharmacy, "key-1")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SendToPharmacyAsync(patient, id, await app.AddPharmacyAsync(), "key-1")).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await app.WithDbAsync(db => db.Sendings.CountAsync(s => s.PrescriptionId == id))).ShouldBe(1);

        using var client = app.PharmacyClient(pharmacy);
        var queue = await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/prescriptions/pharmacy/queue");
        queue!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ShouldBe([id]);
        (await client.GetAsync($"/api/v1/prescriptions/pharmacy/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PostAsync($"/api/v1/prescriptions/pharmacy/{id}/reservation", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await client.PostAsJsonAsync($"/api/v1/prescriptions/pharmacy/{id}/dispenses", new { quantity = 2 })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await client.PostAsJsonAsync($"/api/v1/prescriptions/pharmacy/{id}/dispenses", new { quantity = 2 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await client.PostAsJsonAsync($"/api/v1/prescriptions/pharmacy/{id}/dispenses", new { quantity = 1 })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await client.PostAsJsonAsync($"/api/v1/prescriptions/pharmacy/{id}/dispenses", new { quantity = 1 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var card = await ReadObjectAsync(await patient.GetAsync($"/api/v1/prescriptions/{id}"));
        card["prescription"]!["status"]!.GetValue<string>().ShouldBe(PrescriptionStatuses.Completed);
        card["dispenses"]!.AsArray().Count.ShouldBe(2);
        var changes = (await app.OutboxPayloadsAsync(typeof(PrescriptionStatusChanged).FullName!, patientId)).Select(e => e.GetProperty("change").GetString()).ToList();
        changes.ShouldBe([PrescriptionChanges.SentToPharmacy, PrescriptionChanges.Reserved, PrescriptionChanges.PartlyDispensed, PrescriptionChanges.Dispensed], ignoreOrder: true);
    }

    [Fact]
    public async Task A_pharmacy_opens_a_prescription_by_its_signed_qr_reference_and_not_by_a_forged_one()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var id = await app.PublishAsync(snils);
        using var patient = app.PatientClient(patientId);
        var reference = (await ReadObjectAsync(await patient.GetAsync($"/api/v1/prescriptions/{id}/reference")))["reference"]!.GetValue<string>();
        reference.ShouldNotContain(snils);
        using var pharmacy = app.PharmacyClient(await app.AddPharmacyAsync());

        var forged = reference[..^2] + (reference[^2] == 'A' ? "BA" : "AA");
        (await pharmacy.PostAsJsonAsync("/api/v1/prescriptions/pharmacy/scan", new { reference = forged })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await pharmacy.GetAsync($"/api/v1/prescriptions/pharmacy/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        using var scanned = await pharmacy.PostAsJsonAsync("/api/v1/prescriptions/pharmacy/scan", new { reference });
        scanned.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ReadObjectAsync(scanned))["prescription"]!["id"]!.GetValue<Guid>().ShouldBe(id);
        (await pharmacy.GetAsync($"/api/v1/prescriptions/pharmacy/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await pharmacy.PostAsJsonAsync($"/api/v1/prescriptions/pharmacy/{id}/dispenses", new { quantity = 1 })).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_expired_or_cancelled_prescription_cannot_be_sent_or_dispensed()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var expired = await app.PublishAsync(snils, validFrom: "2025-01-01", validUntil: "2025-02-01");
        var pharmacy = await app.AddPharmacyAsync();
        using var patient = app.PatientClient(patientId);
        (await SendToPharmacyAsync(patient, expired, pharmacy)).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        await app.WithDbAsync(db => db.Prescriptions.Where(p => p.Id == expired)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.PharmacyId, pharmacy)));
        using var client = app.PharmacyClient(pharmacy);
        (await client.PostAsJsonAsync($"/api/v1/prescriptions/pharmacy/{expired}/dispenses", new { quantity = 1 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await app.WithDbAsync(db => db.Dispenses.CountAsync(d => d.PrescriptionId == expired))).ShouldBe(0);
    }

    [Fact]
    public async Task Two_hundred_concurrent_dispensing_attempts_take_exactly_the_quantity()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        const int quantity = 5;
        var id = await app.PublishAsync(snils, quantity: quantity);
        using var patient = app.PatientClient(patientId);
        var reference = (await ReadObjectAsync(await patient.GetAsync($"/api/v1/prescriptions/{id}/reference")))["reference"]!.GetValue<string>();
        var pharmacies = new List<HttpClient>();
        for (var i = 0; i < 4; i++)
        {
            var client = app.PharmacyClient(await app.AddPharmacyAsync());
            (await client.PostAsJsonAsync("/api/v1/prescriptions/pharmacy/scan", new { reference })).StatusCode.ShouldBe(HttpStatusCode.OK);
            pharmacies.Add(client);
        }

        var attempts = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            pharmacies[i % pharmacies.Count].PostAsJsonAsync($"/api/v1/prescriptions/pharmacy/{id}/dispenses", new { quantity = 1 })));

        attempts.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(quantity);
        attempts.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(200 - quantity);
        var stored = await app.WithDbAsync(db => db.Prescriptions.SingleAsync(p => p.Id == id));
        stored.DispensedQuantity.ShouldBe(quantity);
        stored.Status.ShouldBe(PrescriptionStatuses.Completed);
        (await app.WithDbAsync(db => db.Dispenses.CountAsync(d => d.PrescriptionId == id))).ShouldBe(quantity);
        foreach (var client in pharmacies) client.Dispose();
    }
}
