using System.Net;
using System.Security.Cryptography;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Records.Api;
using Gosuslugi.Health.Records.Domain;

namespace Gosuslugi.Health.Records.Tests.Reading;

[Collection(RecordsCollection.Name)]
public sealed class ItemTests(RecordsApp app)
{
    private static readonly DateTimeOffset TakenAt = new(2024, 5, 20, 6, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_result_shows_its_details_and_values_with_reference_ranges_and_flags()
    {
        var patientId = ReadingSupport.NewPatient();
        var result = TestRecords.LabResult(patientId, TakenAt);
        await app.SaveAsync([result],
        [
            TestRecords.Value(result, "6690-2", "Лейкоциты", 12.5m, "10*9/л", 4m, 9m, position: 1),
            TestRecords.Value(result, "718-7", "Гемоглобин", 135m, "г/л", 120m, 160m, position: 0),
            new TestValue
            {
                ItemId = result.Id, PatientId = patientId, AnalyteCode = "5778-6", AnalyteName = "Цвет мочи",
                ValueText = "соломенно-жёлтый", ReferenceText = "соломенно-жёлтый", Interpretation = Interpretations.Normal,
                Comment = "Без особенностей", TakenAt = TakenAt, Position = 2,
            },
        ]);

        var item = await (await app.PatientClient(patientId).GetAsync($"/api/v1/records/items/{result.Id}")).ReadAsync<ItemResponse>();

        item.Id.ShouldBe(result.Id);
        item.Current.ShouldBeTrue();
        item.Title.ShouldBe("Общий анализ крови");
        item.AbnormalCount.ShouldBe(1);
        item.Sections.ShouldBe([RecordSections.LabResults]);
        item.Details.GetProperty("category").GetString().ShouldBe("laboratory");
        item.Details.GetProperty("conclusion").GetString().ShouldBe("Без существенных отклонений");
        item.Observations.Select(o => o.Code).ShouldBe(["718-7", "6690-2", "5778-6"]);
        var leukocytes = item.Observations[1];
        leukocytes.Name.ShouldBe("Лейкоциты");
        leukocytes.Value.ShouldBe(12.5m);
        leukocytes.Unit.ShouldBe("10*9/л");
        leukocytes.Reference.ShouldNotBeNull().Low.ShouldBe(4m);
        leukocytes.Reference.High.ShouldBe(9m);
        leukocytes.Interpretation.ShouldBe(Interpretations.High);
        leukocytes.TakenAt.ShouldBe(TakenAt);
        var colour = item.Observations[2];
        colour.Value.ShouldBeNull();
        colour.ValueText.ShouldBe("соломенно-жёлтый");
        colour.Reference.ShouldNotBeNull().Text.ShouldBe("соломенно-жёлтый");
        colour.Comment.ShouldBe("Без особенностей");
        item.Versions.ShouldHaveSingleItem().Current.ShouldBeTrue();

        var access = (await app.AccessEventsAsync(patientId)).ShouldHaveSingleItem();
        access.Section.ShouldBe(RecordSections.LabResults);
        access.ItemId.ShouldBe(result.Id);
        access.Action.ShouldBe(AccessActions.Read);
    }

    [Fact]
    public async Task Any_version_id_opens_the_current_version_and_lists_every_version()
    {
        var patientId = ReadingSupport.NewPatient();
        var first = TestRecords.Visit(patientId, TakenAt, title: "Приём терапевта");
        var second = ReadingSupport.CorrectionOf(first, "Приём врача-терапевта участкового", "Уточнено название приёма",
            RecordDetails.Serialize(new VisitDetails("consultation", [new Diagnosis("J20.9", "Острый бронхит", true)], "Исправленное заключение", null)));
        await app.SaveAsync([first, second]);
        var client = app.PatientClient(patientId);

        foreach (var id in new[] { first.Id, second.Id })
        {
            var item = await (await client.GetAsync($"/api/v1/records/items/{id}")).ReadAsync<ItemResponse>();
            item.Id.ShouldBe(second.Id);
            item.Version.ShouldBe(2);
            item.Corrected.ShouldBeTrue();
            item.CorrectionReason.ShouldBe("Уточнено название приёма");
            item.Details.GetProperty("conclusion").GetString().ShouldBe("Исправленное заключение");
            item.Versions.Select(v => (v.Id, v.Version, v.Current)).ShouldBe([(first.Id, 1, false), (second.Id, 2, true)]);
            item.Versions[1].CorrectionReason.ShouldBe("Уточнено название приёма");
        }

        var old = await (await client.GetAsync($"/api/v1/records/items/{second.Id}/versions/1")).ReadAsync<ItemResponse>();
        old.Id.ShouldBe(first.Id);
        old.Version.ShouldBe(1);
        old.Current.ShouldBeFalse();
        old.Title.ShouldBe("Приём терапевта");
        old.Details.GetProperty("conclusion").GetString().ShouldBe("Рекомендовано обильное питьё, контроль через 7 дней.");
        old.Versions.Count.ShouldBe(2);

        (await client.GetAsync($"/api/v1/records/items/{first.Id}/versions/3")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_corrected_results_old_values_stay_with_the_old_version()
    {
        var patientId = ReadingSupport.NewPatient();
        var first = TestRecords.LabResult(patientId, TakenAt);
        var second = ReadingSupport.CorrectionOf(first, first.Title, "Ошибка ввода значения");
        var oldValue = TestRecords.Value(first, "718-7", "Гемоглобин", 13.5m, "г/л", 120m, 160m);
        oldValue.IsCurrent = false;
        await app.SaveAsync([first, second], [oldValue, TestRecords.Value(second, "718-7", "Гемоглобин", 135m, "г/л", 120m, 160m)]);
        var client = app.PatientClient(patientId);

        var current = await (await client.GetAsync($"/api/v1/records/items/{first.Id}")).ReadAsync<ItemResponse>();
        current.Observations.ShouldHaveSingleItem().Value.ShouldBe(135m);
        current.AbnormalCount.ShouldBe(0);
        var old = await (await client.GetAsync($"/api/v1/records/items/{first.Id}/versions/1")).ReadAsync<ItemResponse>();
        old.Observations.ShouldHaveSingleItem().Value.ShouldBe(13.5m);
        old.AbnormalCount.ShouldBe(1);
    }

    [Fact]
    public async Task The_document_downloads_as_a_named_pdf_attachment_with_its_hash_as_etag()
    {
        var patientId = ReadingSupport.NewPatient();
        var protocol = ReadingSupport.Protocol(patientId, TakenAt, hasDocument: true, title: "Выписной эпикриз: кардиология");
        await app.SaveAsync([protocol]);
        var document = TestRecords.Pdf(protocol);
        await app.SaveDocumentAsync(document);
        var client = app.PatientClient(patientId);

        var response = await client.GetAsync($"/api/v1/records/items/{protocol.Id}/document");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.ShouldBe(document.Content);
        response.Headers.ETag!.Tag.ShouldBe($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\"");
        var disposition = response.Content.Headers.ContentDisposition!;
        disposition.DispositionType.ShouldBe("attachment");
        (disposition.FileNameStar ?? disposition.FileName).ShouldBe("Выписной эпикриз_ кардиология 2024-05-20.pdf");
        response.Headers.CacheControl!.Private.ShouldBeTrue();

        var access = (await app.AccessEventsAsync(patientId)).ShouldHaveSingleItem();
        access.ItemId.ShouldBe(protocol.Id);
        access.Section.ShouldBe(RecordSections.Visits);
    }

    [Fact]
    public async Task An_item_without_a_document_has_none_to_download()
    {
        var patientId = ReadingSupport.NewPatient();
        var protocol = ReadingSupport.Protocol(patientId, TakenAt, hasDocument: false);
        await app.SaveAsync([protocol]);

        (await app.PatientClient(patientId).GetAsync($"/api/v1/records/items/{protocol.Id}/document"))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.AccessEventsAsync(patientId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Unknown_ids_are_not_found()
    {
        var client = app.PatientClient(ReadingSupport.NewPatient());
        var id = Guid.CreateVersion7();

        (await client.GetAsync($"/api/v1/records/items/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync($"/api/v1/records/items/{id}/versions/1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync($"/api/v1/records/items/{id}/document")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync("/api/v1/records/items/not-a-guid")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
