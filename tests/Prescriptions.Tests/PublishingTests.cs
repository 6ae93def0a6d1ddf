using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using static Gosuslugi.Health.Prescriptions.Tests.PrescriptionsApp;

namespace Gosuslugi.Health.Prescriptions.Tests;

[Collection(PrescriptionsCollection.Name)]
public sealed class PublishingTests(PrescriptionsApp app)
{
    [Fact]
    public async Task A_prescription_is_stored_sealed_a_resend_changes_nothing_and_a_change_is_a_new_version()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var body = MedicationRequest(snils, "RX-1");

        using var first = await client.PostAsync("/fhir/R4/MedicationRequest", AsFhir(body));
        first.StatusCode.ShouldBe(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        var id = (await ReadObjectAsync(first))["id"]!.GetValue<Guid>();

        using var resend = await client.PostAsync("/fhir/R4/MedicationRequest", AsFhir(body));
        resend.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ReadObjectAsync(resend))["version"]!.GetValue<int>().ShouldBe(1);

        body["dosageInstruction"]![0]!["text"] = "По 1 таблетке 1 раз в день";
        using var change = await client.PostAsync("/fhir/R4/MedicationRequest", AsFhir(body));
        change.StatusCode.ShouldBe(HttpStatusCode.OK);
        var changed = await ReadObjectAsync(change);
        changed["id"]!.GetValue<Guid>().ShouldBe(id);
        changed["version"]!.GetValue<int>().ShouldBe(2);

        var stored = await app.WithDbAsync(db => db.Prescriptions.SingleAsync(p => p.Id == id));
        stored.PatientId.ShouldBe(patientId);
        // Sealed: the medication's name is nowhere in the stored bytes.
        System.Text.Encoding.UTF8.GetString(stored.Content.Bytes).ShouldNotContain("Эналаприл");
        (await app.OutboxPayloadsAsync(typeof(Gosuslugi.Health.Contracts.Prescriptions.PrescriptionIssued).FullName!, patientId)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Broken_json_is_a_400_operation_outcome_and_nothing_is_stored()
    {
        var before = await app.WithDbAsync(db => db.Prescriptions.CountAsync());
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        foreach (var text in new[] { "{\"resourceType\":\"MedicationRequest\",", "[1,2]", "{\"resourceType\":\"Patient\"}" })
        {
            using var response = await client.PostAsync("/fhir/R4/MedicationRequest", AsFhir(text));
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/fhir+json");
            (await ReadObjectAsync(response))["resourceType"]!.GetValue<string>().ShouldBe("OperationOutcome");
        }
        (await app.WithDbAsync(db => db.Prescriptions.CountAsync())).ShouldBe(before);
    }

    [Fact]
    public async Task Wrong_types_missing_elements_and_an_unknown_snils_are_named_by_expression_and_nothing_is_stored()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        var before = await app.WithDbAsync(db => db.Prescriptions.CountAsync());
        using var client = app.OrganizationClient(Guid.CreateVersion7());

        var wrongType = MedicationRequest(snils, "RX-T");
        wrongType["dispenseRequest"]!["quantity"]!["value"] = "две";
        var missing = MedicationRequest(snils, "RX-M");
        missing["dosageInstruction"]![0]!.AsObject().Remove("text");
        missing["dispenseRequest"]!["validityPeriod"]!.AsObject().Remove("end");
        var unknown = MedicationRequest(Gosuslugi.Health.TestInfrastructure.TestSnils.Next(), "RX-U");

        foreach (var (body, expression) in new (JsonObject, string)[]
                 {
                     (wrongType, "MedicationRequest.dispenseRequest.quantity.value"),
                     (missing, "MedicationRequest.dosageInstruction[0].text"),
                     (missing, "MedicationRequest.dispenseRequest.validityPeriod.end"),
                     (unknown, "MedicationRequest.subject.identifier.value"),
                 })
        {
            using var response = await client.PostAsync("/fhir/R4/MedicationRequest", AsFhir(body));
            ((int)response.StatusCode).ShouldBeOneOf(400, 422);
            var outcome = await ReadObjectAsync(response);
            outcome["resourceType"]!.GetValue<string>().ShouldBe("OperationOutcome");
            outcome["issue"]!.AsArray().SelectMany(i => i!["expression"]!.AsArray()).Select(e => e!.GetValue<string>())
                .ShouldContain(expression, outcome.ToJsonString());
        }
        (await app.WithDbAsync(db => db.Prescriptions.CountAsync())).ShouldBe(before);
    }

    [Fact]
    public async Task The_same_identifier_for_another_patient_is_a_409()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        var (_, other) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        (await client.PostAsync("/fhir/R4/MedicationRequest", AsFhir(MedicationRequest(snils, "RX-X")))).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var response = await client.PostAsync("/fhir/R4/MedicationRequest", AsFhir(MedicationRequest(other, "RX-X")));
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Patients_pharmacies_and_admins_cannot_publish()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        foreach (var client in new[] { app.PatientClient(patientId), app.PharmacyClient(Guid.CreateVersion7()), app.AdminClient() })
        {
            using (client)
            using (var response = await client.PostAsync("/fhir/R4/MedicationRequest", AsFhir(MedicationRequest(snils, "RX-P"))))
            {
                response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            }
        }
    }
}
