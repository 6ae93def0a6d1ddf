using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Records.Domain;

namespace Gosuslugi.Health.Records.Tests.Ingestion;

public sealed class SensitiveSectionsTests
{
    [Theory]
    [InlineData("F10.2", RecordSections.Narcology)]
    [InlineData("F19", RecordSections.Narcology)]
    [InlineData("F09", RecordSections.Psychiatry)]
    [InlineData("F20.0", RecordSections.Psychiatry)]
    [InlineData("f32.1", RecordSections.Psychiatry)]
    [InlineData("A50.1", RecordSections.Venereology)]
    [InlineData("A64", RecordSections.Venereology)]
    [InlineData("B20", RecordSections.Hiv)]
    [InlineData("B24", RecordSections.Hiv)]
    [InlineData("Z21", RecordSections.Hiv)]
    [InlineData("O80", RecordSections.Reproductive)]
    [InlineData("N97.0", RecordSections.Reproductive)]
    [InlineData("Z30.0", RecordSections.Reproductive)]
    [InlineData("Z39.2", RecordSections.Reproductive)]
    public void A_sensitive_code_belongs_to_its_section(string code, string section) =>
        SensitiveSections.Of(code).ShouldBe(section);

    [Theory]
    [InlineData("A49.9")]
    [InlineData("A65")]
    [InlineData("B19")]
    [InlineData("B25")]
    [InlineData("Z20")]
    [InlineData("Z40")]
    [InlineData("N96")]
    [InlineData("J06.9")]
    [InlineData("I10")]
    [InlineData("")]
    [InlineData("F")]
    public void Other_codes_are_not_sensitive(string code) => SensitiveSections.Of(code).ShouldBeNull();

    [Fact]
    public void The_kind_section_comes_first_and_each_section_once() =>
        SensitiveSections.For(RecordSections.Visits, ["F32.1", "J06.9", "F33", "B20", "F10.2"])
            .ShouldBe([RecordSections.Visits, RecordSections.Psychiatry, RecordSections.Hiv, RecordSections.Narcology]);
}
