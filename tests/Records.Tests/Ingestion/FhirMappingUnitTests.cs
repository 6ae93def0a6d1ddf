using Gosuslugi.Health.Records.Ingestion;

namespace Gosuslugi.Health.Records.Tests.Ingestion;

public sealed class FhirMappingUnitTests
{
    [Theory]
    [InlineData("consultation", "терапевт", null, "Приём врача-терапевта")]
    [InlineData("consultation", "Кардиолог", null, "Приём врача-кардиолога")]
    [InlineData("consultation", "врач общей практики", null, "Консультация: врач общей практики")]
    [InlineData("consultation", null, null, "Приём врача")]
    [InlineData("examination", "офтальмолог", null, "Осмотр врача-офтальмолога")]
    [InlineData("hospitalization", "хирург", "Хирургическое отделение", "Госпитализация: Хирургическое отделение")]
    [InlineData("telemedicine", "невролог", null, "Телемедицинская консультация врача-невролога")]
    [InlineData("treatment", null, null, "Лечебная процедура")]
    public void Visit_titles_are_Russian(string kind, string? specialty, string? department, string expected) =>
        VisitTitles.For(kind, specialty, department).ShouldBe(expected);

    [Fact]
    public void Narrative_XHTML_becomes_plain_text() =>
        FhirProfile.PlainText("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>АД&nbsp;150/90,  ЧСС 78.</p><ul><li>Лозартан &lt;50 мг&gt;</li><li>Соль</li></ul>Итог<br/>конец</div>")
            .ShouldBe("АД 150/90, ЧСС 78.\nЛозартан <50 мг>\nСоль\nИтог\nконец");

    [Theory]
    [InlineData("A00", true)]
    [InlineData("J06.9", true)]
    [InlineData("S72.00", true)]
    [InlineData("J6", false)]
    [InlineData("J06.", false)]
    [InlineData("06.9", false)]
    public void ICD10_codes_have_their_shape(string code, bool valid) => FhirProfile.IsIcd10(code).ShouldBe(valid);
}
