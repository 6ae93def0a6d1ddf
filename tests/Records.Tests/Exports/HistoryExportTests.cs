using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CsvHelper;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.Records.Exports;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Records.Tests.Exports;

[Collection(RecordsCollection.Name)]
public sealed class HistoryExportTests(RecordsApp app)
{
    private const string PdfUrl = "/api/v1/records/exports/history.pdf";
    private const string CsvUrl = "/api/v1/records/exports/history.csv";

    [Fact]
    public async Task Pdf_states_the_patient_the_period_and_the_values_in_Russian_with_the_font_embedded()
    {
        var (patientId, _) = await app.AddKnownPatientAsync("Смирнова", "Анна", "Сергеевна", new DateOnly(1985, 4, 12));
        var visit = TestRecords.Visit(patientId, Moscow(2024, 3, 10, 9, 30));
        var result = TestRecords.LabResult(patientId, Moscow(2025, 2, 1, 8, 15));
        var outsidePeriod = TestRecords.LabResult(patientId, Moscow(2023, 6, 1), title: "Биохимический анализ крови");
        await app.SaveAsync([visit, result, outsidePeriod],
        [
            TestRecords.Value(result, "718-7", "Гемоглобин", 118m, "г/л", 120m, 160m, position: 0),
            TestRecords.Value(result, "6690-2", "Лейкоциты", 6.4m, "10^9/л", 4m, 9m, position: 1),
            TestRecords.Value(outsidePeriod, "2345-7", "Глюкоза", 5.1m, "ммоль/л", 3.9m, 6.1m),
        ]);

        using var response = await app.PatientClient(patientId).GetAsync($"{PdfUrl}?from=2024-01-01&to=2025-12-31");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var disposition = response.Content.Headers.ContentDisposition!;
        disposition.DispositionType.ShouldBe("attachment");
        disposition.FileName!.Trim('"').ShouldMatch(@"^medcard-\d{4}-\d{2}-\d{2}\.pdf$");
        disposition.FileNameStar.ShouldBe(disposition.FileName.Trim('"'));
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();

        var pdf = await response.Content.ReadAsByteArrayAsync();
        var text = await Poppler.TextAsync(pdf);
        text.ShouldContain("Выписка из медицинской карты");
        text.ShouldContain("Смирнова Анна Сергеевна, дата рождения 12.04.1985");
        text.ShouldContain("за период с 01.01.2024 по 31.12.2025");
        text.ShouldMatch(@"Сформировано \d{2}\.\d{2}\.\d{4} \d{2}:\d{2} \(МСК\)");
        text.ShouldContain("01.02.2025 08:15 · Лабораторный анализ");
        text.ShouldContain("Общий анализ крови");
        text.ShouldContain("10.03.2024 09:30 · Приём");
        text.ShouldContain("Приём врача-терапевта");
        text.ShouldContain("J06.9 Острая инфекция верхних дыхательных путей (основной)");
        text.ShouldContain("Рекомендовано обильное питьё");
        text.ShouldContain("Гемоглобин");
        text.ShouldContain("118");
        text.ShouldContain("г/л");
        text.ShouldContain("120–160");
        text.ShouldContain("Ниже нормы");
        text.ShouldContain("Лейкоциты");
        text.ShouldContain("6,4");
        text.ShouldContain("Норма");
        text.ShouldContain("Стр. 1 из 1");
        text.ShouldNotContain("Биохимический анализ крови");
        text.ShouldNotContain("Глюкоза");
        // Newest first.
        text.IndexOf("Общий анализ крови", StringComparison.Ordinal)
            .ShouldBeLessThan(text.IndexOf("Приём врача-терапевта", StringComparison.Ordinal));

        var info = await Poppler.InfoAsync(pdf);
        info["Pages"].ShouldBe("1");
        info["Creator"].ShouldBe("Госуслуги.Здоровье");
        info["Title"].ShouldContain("Смирнова Анна Сергеевна");
        info["Page size"].ShouldContain("A4");

        var fonts = await Poppler.FontsAsync(pdf);
        fonts.ShouldNotBeEmpty();
        // "<subset tag>+DejaVu Sans" and "<subset tag>+DejaVu Sans,Bold", as PDFsharp names the embedded faces.
        fonts.Select(font => string.Join(' ', font.TakeWhile(part => part != "CID")).Split('+')[^1])
            .Order().ShouldBe(["DejaVu Sans", "DejaVu Sans,Bold"]);
        // Columns from the end: object ID (2), uni, sub, emb: embedded subsets with a Unicode map (text can be extracted).
        fonts.ShouldAllBe(font => font[font.Length - 5] == "yes" && font[font.Length - 4] == "yes" && font[font.Length - 3] == "yes");
    }

    [Fact]
    public async Task Pdf_of_a_long_selection_breaks_pages_and_numbers_them()
    {
        var (patientId, _) = await app.AddKnownPatientAsync("Кузнецов", "Пётр", null);
        var results = Enumerable.Range(0, 40)
            .Select(i => TestRecords.LabResult(patientId, Moscow(2024, 1, 1).AddDays(i), title: $"Общий анализ крови № {i + 1}"))
            .ToList();
        var values = results.SelectMany(r => Enumerable.Range(0, 5).Select(p =>
            TestRecords.Value(r, $"code-{p}", $"Показатель номер {p + 1} с длинным названием", 4.5m + p, "ммоль/л", 3.5m, 7.5m, position: p)));
        await app.SaveAsync(results, values);

        using var response = await app.PatientClient(patientId).GetAsync(PdfUrl);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        var pages = int.Parse((await Poppler.InfoAsync(pdf))["Pages"]);
        pages.ShouldBeGreaterThan(1);
        var text = await Poppler.TextAsync(pdf);
        text.ShouldContain("за всё время");
        text.ShouldContain("Кузнецов Пётр, дата рождения");
        text.ShouldContain("Всего записей: 40");
        text.ShouldContain($"Стр. 1 из {pages}");
        text.ShouldContain($"Стр. {pages} из {pages}");
        text.ShouldContain("Общий анализ крови № 40");
        text.ShouldMatch(@"(?m)Общий анализ крови № 1\s*$");
        // The analyte's long name wraps inside its cell rather than running into the next column.
        Count(text, "Показатель номер 5 с").ShouldBe(40);
        text.ShouldNotContain("Показатель номер 5 с длинным названием");
    }

    [Fact]
    public async Task Pdf_of_a_patient_Records_does_not_know_says_Patient_and_lists_nothing_else()
    {
        var patientId = Guid.CreateVersion7();

        using var response = await app.PatientClient(patientId).GetAsync(PdfUrl);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await Poppler.TextAsync(await response.Content.ReadAsByteArrayAsync());
        text.ShouldContain("Пациент");
        text.ShouldContain("Записей, соответствующих условиям выписки, нет.");
    }

    [Fact]
    public async Task Csv_has_a_row_per_value_and_per_other_item_exactly_as_stored()
    {
        var (patientId, _) = await app.AddKnownPatientAsync();
        var visit = TestRecords.Visit(patientId, Moscow(2024, 3, 10, 9, 30), diagnosisCode: "I10");
        var result = TestRecords.LabResult(patientId, Moscow(2025, 2, 1, 8, 15));
        var hemoglobin = TestRecords.Value(result, "718-7", "Гемоглобин", 118m, "г/л", 120m, 160m, position: 0);
        var leukocytes = TestRecords.Value(result, "6690-2", "Лейкоциты", 6.4m, "10^9/л", 4m, 9m, position: 1);
        var hiv = new TestValue
        {
            ItemId = result.Id, PatientId = patientId, AnalyteCode = "=cmd", AnalyteName = "Антитела; \"скрининг\"",
            ValueText = "не обнаружены", ReferenceText = "не обнаружены", Interpretation = Interpretations.Normal,
            Comment = "Повторить через 2 недели;\nнатощак", TakenAt = result.EffectiveAt, Position = 2,
        };
        await app.SaveAsync([visit, result], [hemoglobin, leukocytes, hiv]);

        using var response = await app.PatientClient(patientId).GetAsync(CsvUrl);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/csv; charset=utf-8");
        response.Content.Headers.ContentDisposition!.FileName!.Trim('"').ShouldMatch(@"^medcard-\d{4}-\d{2}-\d{2}\.csv$");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });

        var (header, rows) = ParseCsv(bytes);
        header.ShouldBe(HistoryCsv.Columns);
        rows.Count.ShouldBe(4);

        rows[0].ShouldBe(
        [
            "01.02.2025 08:15", "Лабораторный анализ", "Общий анализ крови", "ГБУЗ «Городская поликлиника № 1»",
            "Иванова Мария Петровна", "Терапевт", "", "718-7", "Гемоглобин", "118", "г/л", "120", "160", "Ниже нормы", "",
            result.Id.ToString(),
        ]);
        rows[1][7..14].ShouldBe(["6690-2", "Лейкоциты", "6,4", "10^9/л", "4", "9", "Норма"]);
        // Quoted separators, quotes and line breaks come back intact; a would-be formula is defused.
        rows[2][7..].ShouldBe(["'=cmd", "Антитела; \"скрининг\"", "не обнаружены", "", "не обнаружены", "", "Норма",
            "Повторить через 2 недели;\nнатощак", result.Id.ToString()]);
        rows[3].ShouldBe(
        [
            "10.03.2024 09:30", "Приём", "Приём врача-терапевта", "ГБУЗ «Городская поликлиника № 1»",
            "Иванова Мария Петровна", "Терапевт", "I10", "", "", "", "", "", "", "",
            "Рекомендовано обильное питьё, контроль через 7 дней.", visit.Id.ToString(),
        ]);
    }

    [Fact]
    public async Task Csv_holds_only_the_kinds_and_the_period_requested()
    {
        var (patientId, _) = await app.AddKnownPatientAsync();
        var inPeriod = TestRecords.LabResult(patientId, Moscow(2024, 1, 1, 0, 5));
        var lastDay = TestRecords.LabResult(patientId, Moscow(2024, 6, 30, 23, 55));
        var before = TestRecords.LabResult(patientId, Moscow(2023, 12, 31, 23, 55));
        var after = TestRecords.LabResult(patientId, Moscow(2024, 7, 1, 0, 5));
        var visit = TestRecords.Visit(patientId, Moscow(2024, 3, 1));
        var diagnostic = TestRecords.Item(patientId, RecordItemKinds.DiagnosticResult, "DiagnosticReport", Moscow(2024, 3, 2),
            null, "doc-1", "УЗИ брюшной полости",
            RecordDetails.Serialize(new ResultDetails("imaging", null, "Без патологии", null, null)),
            [RecordSections.LabResults], []);
        await app.SaveAsync([inPeriod, lastDay, before, after, visit, diagnostic],
            [TestRecords.Value(inPeriod, "718-7", "Гемоглобин", 140m, "г/л", 120m, 160m)]);

        using var response = await app.PatientClient(patientId)
            .GetAsync($"{CsvUrl}?from=2024-01-01&to=2024-06-30&kind=lab_result");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var (_, rows) = ParseCsv(await response.Content.ReadAsByteArrayAsync());
        rows.Select(r => Guid.Parse(r[^1])).ShouldBe([lastDay.Id, inPeriod.Id]);
        rows.ShouldAllBe(r => r[1] == "Лабораторный анализ");
        rows[1][8].ShouldBe("Гемоглобин");
        rows[0][8].ShouldBe("");

        using var both = await app.PatientClient(patientId)
            .GetAsync($"{CsvUrl}?from=2024-03-01&to=2024-03-31&kind=visit&kind=diagnostic_result");
        var (_, bothRows) = ParseCsv(await both.Content.ReadAsByteArrayAsync());
        bothRows.Select(r => Guid.Parse(r[^1])).ShouldBe([diagnostic.Id, visit.Id]);
        bothRows[0][1].ShouldBe("Инструментальное исследование");
        bothRows[0][14].ShouldBe("Без патологии");
    }

    [Fact]
    public async Task Csv_holds_only_the_organization_and_the_doctor_requested()
    {
        var (patientId, _) = await app.AddKnownPatientAsync();
        var clinic = Guid.CreateVersion7();
        var mine = TestRecords.Visit(patientId, Moscow(2024, 3, 1), clinic, doctorId: "doc-7");
        var otherDoctor = TestRecords.Visit(patientId, Moscow(2024, 3, 2), clinic, doctorId: "doc-8");
        var otherClinic = TestRecords.Visit(patientId, Moscow(2024, 3, 3), doctorId: "doc-7");
        await app.SaveAsync([mine, otherDoctor, otherClinic]);

        using var response = await app.PatientClient(patientId).GetAsync($"{CsvUrl}?organizationId={clinic}&doctorId=doc-7");

        var (_, rows) = ParseCsv(await response.Content.ReadAsByteArrayAsync());
        rows.Select(r => Guid.Parse(r[^1])).ShouldBe([mine.Id]);

        using var pdf = await app.PatientClient(patientId).GetAsync($"{PdfUrl}?organizationId={clinic}&doctorId=doc-7");
        var text = await Poppler.TextAsync(await pdf.Content.ReadAsByteArrayAsync());
        text.ShouldContain("Организация: ГБУЗ «Городская поликлиника № 1»");
        text.ShouldContain("Врач: Иванова Мария Петровна (Терапевт)");
        text.ShouldContain("Всего записей: 1");
    }

    [Fact]
    public async Task A_limited_delegation_exports_lab_results_only()
    {
        var (patientId, _) = await app.AddKnownPatientAsync();
        var result = TestRecords.LabResult(patientId, Moscow(2024, 5, 1));
        var hivTest = TestRecords.Item(patientId, RecordItemKinds.LabResult, "DiagnosticReport", Moscow(2024, 5, 2), null,
            "doc-1", "Исследование на ВИЧ",
            RecordDetails.Serialize(new ResultDetails("laboratory", null, null, null, null)),
            [RecordSections.LabResults, RecordSections.Hiv], ["Z21"]);
        var visit = TestRecords.Visit(patientId, Moscow(2024, 5, 3));
        await app.SaveAsync([result, hivTest, visit], [TestRecords.Value(result, "718-7", "Гемоглобин", 140m, "г/л", 120m, 160m)]);
        using var representative = app.CreateClient(app.Issuer.CreateDelegatedToken(patientId, Guid.CreateVersion7(),
            Guid.CreateVersion7(), TestTokenIssuer.DelegatedLimitedScope));

        using var csv = await representative.GetAsync(CsvUrl);

        csv.StatusCode.ShouldBe(HttpStatusCode.OK, await csv.Content.ReadAsStringAsync());
        var (_, rows) = ParseCsv(await csv.Content.ReadAsByteArrayAsync());
        rows.Select(r => Guid.Parse(r[^1])).ShouldBe([result.Id]);

        using var pdf = await representative.GetAsync(PdfUrl);
        pdf.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await Poppler.TextAsync(await pdf.Content.ReadAsByteArrayAsync());
        text.ShouldContain("по ограниченной доверенности");
        text.ShouldContain("Гемоглобин");
        text.ShouldNotContain("Исследование на ВИЧ");
        text.ShouldNotContain("Приём врача-терапевта");

        // A whole-record delegation exports everything.
        using var full = app.CreateClient(app.Issuer.CreateDelegatedToken(patientId, Guid.CreateVersion7(), Guid.CreateVersion7()));
        var (_, allRows) = ParseCsv(await full.GetByteArrayAsync(CsvUrl));
        allRows.Select(r => Guid.Parse(r[^1])).ShouldBe([visit.Id, hivTest.Id, result.Id]);
    }

    [Fact]
    public async Task Another_patient_exports_only_their_own_empty_record()
    {
        var (patientId, _) = await app.AddKnownPatientAsync("Смирнова", "Анна", "Сергеевна");
        await app.SaveAsync([TestRecords.Visit(patientId, Moscow(2024, 3, 1))]);
        var (otherId, _) = await app.AddKnownPatientAsync("Орлов", "Игорь", null);
        using var other = app.PatientClient(otherId);

        var (_, rows) = ParseCsv(await other.GetByteArrayAsync(CsvUrl));
        rows.ShouldBeEmpty();

        var text = await Poppler.TextAsync(await other.GetByteArrayAsync(PdfUrl));
        text.ShouldContain("Орлов Игорь");
        text.ShouldNotContain("Смирнова");
        text.ShouldNotContain("Приём врача-терапевта");
    }

    [Theory]
    [InlineData(PdfUrl)]
    [InlineData(CsvUrl)]
    public async Task Doctors_admins_and_organizations_may_not_export(string url)
    {
        var (patientId, _) = await app.AddKnownPatientAsync();
        await app.SaveAsync([TestRecords.Visit(patientId, Moscow(2024, 3, 1))]);

        foreach (var client in new[]
                 {
                     app.DoctorClient(Guid.CreateVersion7(), TestRecords.DefaultOrganization),
                     app.AdminClient(),
                     app.OrganizationClient(TestRecords.DefaultOrganization),
                 })
        {
            using (client)
            {
                using var response = await client.GetAsync($"{url}?patientId={patientId}");
                response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
                var body = await response.Content.ReadAsStringAsync();
                body.ShouldNotContain("Приём");
                body.ShouldNotContain("%PDF");
            }
        }

        using var anonymous = app.CreateClient();
        (await anonymous.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ExportEventsAsync(patientId)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(PdfUrl)]
    [InlineData(CsvUrl)]
    public async Task Bad_filters_are_refused_by_name_and_nothing_is_exported(string url)
    {
        var (patientId, _) = await app.AddKnownPatientAsync();
        await app.SaveAsync([TestRecords.Visit(patientId, Moscow(2024, 3, 1))]);

        using var response = await app.PatientClient(patientId)
            .GetAsync($"{url}?from=2024-13-01&to=2024-01-01&kind=xray&organizationId=clinic-1");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        errors.TryGetProperty("from", out _).ShouldBeTrue();
        errors.TryGetProperty("kind", out _).ShouldBeTrue();
        errors.TryGetProperty("organizationId", out _).ShouldBeTrue();
        problem.GetRawText().ShouldNotContain("Приём врача-терапевта");

        using var reversed = await app.PatientClient(patientId).GetAsync($"{url}?from=2024-12-31&to=2024-01-01");
        reversed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        (await ExportEventsAsync(patientId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_selection_over_the_cap_is_refused_until_the_period_is_narrowed()
    {
        var (patientId, _) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        // One statement, so that ten thousand rows cost well under a second: an item an hour from 2020-01-01 (UTC),
        // all with the same sealed title and details.
        var cipher = await app.CipherAsync(patientId);
        var title = cipher.Seal("Приём врача-терапевта").Bytes;
        var details = cipher.Seal(RecordDetails.Serialize(new VisitDetails("consultation", [], null, null))).Bytes;
        await app.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO record_items (id, record_id, version, is_current, patient_id, organization_id,
                organization_name, external_id, kind, resource_type, status, title, effective_at, sections,
                diagnosis_codes, details, content_hash, submitted_by, received_at, has_document)
            SELECT gen_random_uuid(), gen_random_uuid(), 1, TRUE, {patientId}, {organizationId},
                'ГБУЗ «Городская поликлиника № 1»', 'bulk-' || n, 'visit', 'Encounter', 'finished', {title},
                TIMESTAMPTZ '2020-01-01 00:00:00+00' + n * INTERVAL '1 hour', ARRAY['visits'], ARRAY[]::text[],
                {details}, repeat('0', 64),
                'test-client', now(), FALSE
            FROM generate_series(1, {ExportSelection.MaxItems + 1}) AS n
            """));

        foreach (var url in new[] { PdfUrl, CsvUrl })
        {
            using var response = await app.PatientClient(patientId).GetAsync(url);
            response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("detail").GetString()!.ShouldContain("Сузьте период");
            problem.GetProperty("errors").TryGetProperty("from", out _).ShouldBeTrue();
        }
        (await ExportEventsAsync(patientId)).ShouldBeEmpty();

        using var narrowed = await app.PatientClient(patientId).GetAsync($"{CsvUrl}?from=2020-01-02&to=2020-01-02");
        narrowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var (_, rows) = ParseCsv(await narrowed.Content.ReadAsByteArrayAsync());
        rows.Count.ShouldBe(24);
    }

    [Theory]
    [InlineData(PdfUrl, ExportsApiPurposes.Pdf)]
    [InlineData(CsvUrl, ExportsApiPurposes.Csv)]
    public async Task Each_export_is_logged_once_as_an_export_of_the_patients_data(string url, string purpose)
    {
        var (patientId, _) = await app.AddKnownPatientAsync();
        await app.SaveAsync([TestRecords.Visit(patientId, Moscow(2024, 3, 1))]);
        var actorId = Guid.CreateVersion7();
        var delegationId = Guid.CreateVersion7();
        using var representative = app.CreateClient(app.Issuer.CreateDelegatedToken(patientId, actorId, delegationId));

        using var response = await representative.GetAsync($"{url}?kind=visit");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        await response.Content.ReadAsByteArrayAsync();

        var events = await ExportEventsAsync(patientId);
        var access = events.ShouldHaveSingleItem();
        access.GetProperty("action").GetString().ShouldBe(AccessActions.Export);
        access.GetProperty("section").GetString().ShouldBe("exports");
        access.GetProperty("purpose").GetString().ShouldBe(purpose);
        access.GetProperty("outcome").GetString().ShouldBe(AccessOutcomes.Allowed);
        access.GetProperty("actorRole").GetString().ShouldBe(AccessActorRoles.Representative);
        access.GetProperty("actorId").GetGuid().ShouldBe(actorId);
        access.GetProperty("delegationId").GetGuid().ShouldBe(delegationId);
        access.GetProperty("service").GetString().ShouldNotBeNullOrEmpty();
    }

    private static class ExportsApiPurposes
    {
        public const string Pdf = "выгрузка медицинской карты в PDF";
        public const string Csv = "выгрузка медицинской карты в CSV";
    }

    /// <summary>The access events Records committed to its outbox for <paramref name="patientId"/>.</summary>
    private Task<List<JsonElement>> ExportEventsAsync(Guid patientId) =>
        app.OutboxPayloadsAsync(typeof(PatientDataAccessed).FullName!, patientId);

    private static (IReadOnlyList<string> Header, List<string[]> Rows) ParseCsv(byte[] bytes)
    {
        using var reader = CsvReader.Create(bytes, CsvReaderOptions.Default with { Separator = ';' });
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i)).ToArray());
        }
        return (reader.Headers.ToList(), rows);
    }

    /// <summary>A Moscow wall-clock time as the UTC instant PostgreSQL stores.</summary>
    private static DateTimeOffset Moscow(int year, int month, int day, int hour = 10, int minute = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.FromHours(3)).ToUniversalTime();

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
