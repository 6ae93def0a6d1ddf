using System.Net;
using System.Text.Json.Nodes;
using Gosuslugi.Health.TestInfrastructure;
using static Gosuslugi.Health.SickLeave.Tests.SickLeaveApp;

namespace Gosuslugi.Health.SickLeave.Tests;

/// <summary>«Листки нетрудоспособности»: the list by period or number, the card, the official PDF; each an access event.</summary>
[Collection(SickLeaveCollection.Name)]
public sealed class PatientReadingTests(SickLeaveApp app)
{
    private static async Task<JsonObject> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task The_list_filters_by_period_and_by_number_newest_first()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var organization = app.OrganizationClient(Guid.CreateVersion7());
        var older = NextNumber();
        var newer = NextNumber();
        var olderBody = Certificate(older, snils);
        olderBody["issuedOn"] = "2025-02-03";
        olderBody["periods"] = new JsonArray(new JsonObject { ["from"] = "2025-02-03", ["to"] = "2025-02-10" });
        await PublishAsync(organization, olderBody, HttpStatusCode.Created);
        await PublishAsync(organization, Certificate(newer, snils), HttpStatusCode.Created);
        using var patient = app.PatientClient(patientId);

        var all = await GetAsync(patient, CertificatesRoute);
        all["items"]!.AsArray().Select(i => i!["number"]!.GetValue<string>()).ShouldBe([newer, older]);
        var first = all["items"]![0]!;
        first["statusTitle"]!.GetValue<string>().ShouldBe("Открыт");
        first["startsOn"]!.AsDate().ShouldBe(Today.AddDays(-30));
        first.AsObject().ContainsKey("reason").ShouldBeFalse("the list shows no medical content");

        (await GetAsync(patient, $"{CertificatesRoute}?from=2025-02-01&to=2025-02-28"))["items"]!.AsArray()
            .Select(i => i!["number"]!.GetValue<string>()).ShouldBe([older]);
        (await GetAsync(patient, $"{CertificatesRoute}?from=2025-02-10&to=2025-02-10"))["items"]!.AsArray().Count.ShouldBe(1, "a period overlapping by one day");
        (await GetAsync(patient, $"{CertificatesRoute}?number={newer}"))["items"]!.AsArray()
            .Select(i => i!["number"]!.GetValue<string>()).ShouldBe([newer]);
        (await GetAsync(patient, $"{CertificatesRoute}?to=2024-12-31"))["items"]!.AsArray().ShouldBeEmpty();

        (await app.AccessEventsAsync(patientId)).Where(e => e.ActorRole == "patient").Select(e => (e.Action, e.Section, e.Outcome))
            .ShouldBe(Enumerable.Repeat(("read", "sick_leave", "allowed"), 5));
    }

    [Theory]
    [InlineData("from=2025-13-01", "from", "Дата указывается в формате ГГГГ-ММ-ДД.")]
    [InlineData("from=2025-03-01&to=2025-02-01", "from", "Начало периода не может быть позже его окончания.")]
    [InlineData("number=12ab", "number", "Номер листка нетрудоспособности — 12 цифр.")]
    public async Task A_bad_filter_is_a_problem_naming_the_parameter(string query, string field, string message)
    {
        using var patient = app.PatientClient(Guid.CreateVersion7());
        using var response = await patient.GetAsync($"{CertificatesRoute}?{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![field]![0]!.GetValue<string>()).ShouldBe(message);
    }

    [Fact]
    public async Task The_card_shows_everything_the_certificate_carries()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var number = NextNumber();
        using var organization = app.OrganizationClient(Guid.CreateVersion7(), "ГБУЗ «Городская поликлиника № 12»");
        await PublishAsync(organization, Certificate(number, snils), HttpStatusCode.Created);
        var closed = await PublishAsync(organization, Certificate(number, snils, "closed", periods: 2, returnToWorkOn: EndOf(2).AddDays(1)),
            HttpStatusCode.OK);
        using var patient = app.PatientClient(patientId);

        var card = await GetAsync(patient, $"{CertificatesRoute}/{closed["id"]}");

        card["number"]!.GetValue<string>().ShouldBe(number);
        card["status"]!.GetValue<string>().ShouldBe("closed");
        card["organization"]!["name"]!.GetValue<string>().ShouldBe("ГБУЗ «Городская поликлиника № 12»");
        card["reason"]!["code"]!.GetValue<string>().ShouldBe("01");
        card["doctor"]!["position"]!.GetValue<string>().ShouldBe("врач-терапевт участковый");
        card["periods"]!.AsArray().Select(p => p!["doctorName"]?.GetValue<string>()).ShouldBe([null, "Кузнецов Павел Андреевич"]);
        card["returnToWorkOn"]!.AsDate().ShouldBe(EndOf(2).AddDays(1));
        card["history"]!.AsArray().Select(v => v!["statusTitle"]!.GetValue<string>()).ShouldBe(["Открыт", "Закрыт"]);
        var read = (await app.AccessEventsAsync(patientId)).Last();
        (read.Action, read.ItemId, read.ActorRole).ShouldBe(("read", closed["id"]!.GetValue<Guid>(), "patient"));
    }

    [Fact]
    public async Task The_official_pdf_carries_the_certificate_in_Russian_and_is_an_export_event()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var number = NextNumber();
        using var organization = app.OrganizationClient(Guid.CreateVersion7(), "ГБУЗ «Городская поликлиника № 5»");
        await PublishAsync(organization, Certificate(number, snils), HttpStatusCode.Created);
        var returnOn = EndOf(2).AddDays(1);
        var closed = await PublishAsync(organization, Certificate(number, snils, "closed", periods: 2, returnToWorkOn: returnOn), HttpStatusCode.OK);
        using var patient = app.PatientClient(patientId);

        using var response = await patient.GetAsync($"{CertificatesRoute}/{closed["id"]}/pdf");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        response.Content.Headers.ContentDisposition!.FileName.ShouldBe($"listok-netrudosposobnosti-{number}.pdf");
        var pdf = await response.Content.ReadAsByteArrayAsync();
        var text = await Poppler.TextAsync(pdf);
        text.ShouldContain($"Листок нетрудоспособности № {number}");
        text.ShouldContain("Соколова Анна Дмитриевна");
        text.ShouldContain(TestSnilsFormat(snils));
        text.ShouldContain("ГБУЗ «Городская поликлиника № 5»");
        text.ShouldContain("Смирнова Елена Викторовна, врач-терапевт участковый");
        text.ShouldContain("код 01 — Заболевание");
        text.ShouldContain("Амбулаторное лечение");
        text.ShouldContain("Статус: Закрыт");
        text.ShouldContain("Кузнецов Павел Андреевич");
        text.ShouldContain(Today.AddDays(-30).ToString("dd.MM.yyyy"));
        text.ShouldContain(returnOn.ToString("dd.MM.yyyy"));
        // The shared Printing library's embedded faces, with a Unicode map (Cyrillic text can be extracted).
        var fonts = await Poppler.FontsAsync(pdf);
        fonts.Select(font => string.Join(' ', font.TakeWhile(part => part != "CID")).Split('+')[^1])
            .Order().ShouldBe(["DejaVu Sans", "DejaVu Sans,Bold"]);

        var export = (await app.AccessEventsAsync(patientId)).Last();
        (export.Action, export.ItemId, export.Purpose).ShouldBe(("export", closed["id"]!.GetValue<Guid>(), "скачивание листка нетрудоспособности в PDF"));
    }

    private static string TestSnilsFormat(string snils) => $"{snils[..3]}-{snils[3..6]}-{snils[6..9]} {snils[9..]}";
}
