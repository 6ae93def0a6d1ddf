using System.Net;
using Gosuslugi.Health.TestInfrastructure;

namespace Gosuslugi.Health.Prescriptions.Tests;

[Collection(PrescriptionsCollection.Name)]
public sealed class PrintingTests(PrescriptionsApp app)
{
    [Fact]
    public async Task The_printed_prescription_has_its_content_in_russian_and_is_an_export_event()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var id = await app.PublishAsync(snils);
        using var client = app.PatientClient(patientId);

        using var response = await client.GetAsync($"/api/v1/prescriptions/{id}/pdf");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var text = await Poppler.TextAsync(await response.Content.ReadAsByteArrayAsync());
        text.ShouldContain("Электронный рецепт");
        text.ShouldContain("Эналаприл 10 мг, таблетки");
        text.ShouldContain("По 1 таблетке 2 раза в день");
        text.ShouldContain("ГБУЗ «Городская поликлиника № 1»");
        text.ShouldNotContain(snils);
        var events = await app.OutboxPayloadsAsync(typeof(Gosuslugi.Health.Contracts.Audit.PatientDataAccessed).FullName!, patientId);
        events.ShouldContain(e => e.GetProperty("action").GetString() == "export" && e.GetProperty("itemId").GetString() == id.ToString());

        using var stranger = app.PatientClient(Guid.CreateVersion7());
        (await stranger.GetAsync($"/api/v1/prescriptions/{id}/pdf")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var admin = app.AdminClient();
        ((int)(await admin.GetAsync($"/api/v1/prescriptions/{id}/pdf")).StatusCode).ShouldBeOneOf(403, 404);
    }
}
