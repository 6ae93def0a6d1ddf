using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.Prescriptions;
using Microsoft.EntityFrameworkCore;
using static Gosuslugi.Health.Prescriptions.Tests.PrescriptionsApp;

namespace Gosuslugi.Health.Prescriptions.Tests;

[Collection(PrescriptionsCollection.Name)]
public sealed class FhirDispenseTests(PrescriptionsApp app)
{
    private static JsonObject Dispense(Guid prescriptionId, decimal quantity) => new()
    {
        ["resourceType"] = "MedicationDispense",
        ["status"] = "completed",
        ["medicationCodeableConcept"] = new JsonObject { ["text"] = "Эналаприл 10 мг, таблетки" },
        ["authorizingPrescription"] = new JsonArray(new JsonObject { ["reference"] = $"MedicationRequest/{prescriptionId}" }),
        ["quantity"] = new JsonObject { ["value"] = quantity, ["unit"] = "уп." },
    };

    [Fact]
    public async Task A_pharmacy_dispenses_with_a_fhir_medication_dispense_only_what_was_sent_to_it()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var id = await app.PublishAsync(snils, quantity: 2);
        var pharmacyId = await app.AddPharmacyAsync();
        using var patient = app.PatientClient(patientId);
        (await SendToPharmacyAsync(patient, id, pharmacyId)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var pharmacy = app.PharmacyClient(pharmacyId);
        using var other = app.PharmacyClient(await app.AddPharmacyAsync());

        (await other.PostAsync("/fhir/R4/MedicationDispense", AsFhir(Dispense(id, 1)))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await pharmacy.PostAsync("/fhir/R4/MedicationDispense", AsFhir(Dispense(id, 1)))).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var tooMuch = await pharmacy.PostAsync("/fhir/R4/MedicationDispense", AsFhir(Dispense(id, 5)));
        tooMuch.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await ReadObjectAsync(tooMuch))["resourceType"]!.GetValue<string>().ShouldBe("OperationOutcome");
        var bad = Dispense(id, 1);
        bad["authorizingPrescription"]![0]!["reference"] = "Patient/1";
        (await pharmacy.PostAsync("/fhir/R4/MedicationDispense", AsFhir(bad))).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await app.WithDbAsync(db => db.Prescriptions.SingleAsync(p => p.Id == id))).DispensedQuantity.ShouldBe(1);
    }

    [Fact]
    public async Task A_prescription_the_organization_cancelled_cannot_be_dispensed_again()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        using var organization = app.OrganizationClient(organizationId);
        var body = MedicationRequest(snils, "RX-C", quantity: 2);
        var id = (await ReadObjectAsync(await organization.PostAsync("/fhir/R4/MedicationRequest", AsFhir(body))))["id"]!.GetValue<Guid>();
        var pharmacyId = await app.AddPharmacyAsync();
        using var patient = app.PatientClient(patientId);
        (await SendToPharmacyAsync(patient, id, pharmacyId)).StatusCode.ShouldBe(HttpStatusCode.OK);

        body["status"] = "cancelled";
        (await organization.PostAsync("/fhir/R4/MedicationRequest", AsFhir(body))).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var pharmacy = app.PharmacyClient(pharmacyId);
        (await pharmacy.PostAsJsonAsync($"/api/v1/prescriptions/pharmacy/{id}/dispenses", new { quantity = 1 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var card = await ReadObjectAsync(await patient.GetAsync($"/api/v1/prescriptions/{id}"));
        card["prescription"]!["status"]!.GetValue<string>().ShouldBe(PrescriptionStatuses.Cancelled);
    }
}
