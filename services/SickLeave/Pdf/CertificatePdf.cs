using System.Globalization;
using Gosuslugi.Health.Contracts;
using Gosuslugi.Health.Contracts.SickLeave;
using Gosuslugi.Health.Printing;
using Gosuslugi.Health.SickLeave.Certificates;
using Gosuslugi.Health.SickLeave.Domain;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Gosuslugi.Health.ServiceDefaults.Patients;

namespace Gosuslugi.Health.SickLeave.Pdf;

/// <summary>
/// The official PDF of a certificate ("Листок нетрудоспособности в форме электронного документа"): number, patient,
/// organization, doctor, periods, regime, reason code, return-to-work date and status, on one A4 page (more if the
/// periods need it), laid out by the shared <see cref="PdfFlow"/>.
/// </summary>
public static class CertificatePdf
{
    public const string Title = "Листок нетрудоспособности";

    private static readonly PdfColumn[] PeriodColumns =
    [
        new("С", 18),
        new("По", 18),
        new("Дней", 10),
        new("Врач", 54),
    ];

    public static string FileName(string number) => $"listok-netrudosposobnosti-{number}.pdf";

    public static byte[] Render(CertificateRead read, KnownPatient? patient, DateTimeOffset generatedAt)
    {
        var (certificate, content) = (read.Certificate, read.Content);
        PdfFonts.EnsureRegistered();
        using var document = new PdfDocument();
        using var measure = XGraphics.CreateMeasureContext(new XSize(PdfFlow.A4Width, PdfFlow.A4Height), XGraphicsUnit.Point, XPageDirection.Downwards);
        var title = new PdfFlowFont(measure, 15, bold: true);
        var subtitle = new PdfFlowFont(measure, 11, bold: true);
        var bold = new PdfFlowFont(measure, 9.5, bold: true);
        var regular = new PdfFlowFont(measure, 9.5, bold: false);
        var small = new PdfFlowFont(measure, 7.5, bold: false);
        var tableHeader = new PdfFlowFont(measure, 8.5, bold: true);
        var table = new PdfFlowFont(measure, 8.5, bold: false);

        using (var flow = new PdfFlow(document))
        {
            flow.Paragraph($"{Title} № {certificate.Number}", title, spaceAfter: 4);
            flow.Paragraph("Электронный листок нетрудоспособности", regular);
            flow.Paragraph($"Статус: {SickLeaveRules.StatusTitle(certificate.Status)}", bold, spaceAfter: 6);
            flow.Rule();

            Field(flow, "Пациент", patient is null ? "—" : patient.FullName, bold, regular);
            if (patient is not null)
            {
                Field(flow, "Дата рождения", Date(patient.BirthDate), bold, regular);
                Field(flow, "СНИЛС", Snils.Format(patient.Snils), bold, regular);
            }
            Field(flow, "Медицинская организация", certificate.OrganizationName, bold, regular);
            Field(flow, "Врач", content.DoctorPosition is null ? content.DoctorName : $"{content.DoctorName}, {content.DoctorPosition}", bold, regular);
            Field(flow, "Дата выдачи", Date(content.IssuedOn), bold, regular);
            Field(flow, "Причина нетрудоспособности",
                $"код {content.ReasonCode} — {SickLeaveRules.Reasons.GetValueOrDefault(content.ReasonCode, content.ReasonCode)}", bold, regular);
            Field(flow, "Режим", SickLeaveRules.Regimes.GetValueOrDefault(content.Regime, content.Regime), bold, regular);
            flow.Rule();

            flow.Paragraph("Периоды нетрудоспособности", subtitle, spaceAfter: 4);
            flow.Table(PeriodColumns, content.Periods.Select(p => new PdfRow(
                [Date(p.From), Date(p.To), (p.To.DayNumber - p.From.DayNumber + 1).ToString(CultureInfo.InvariantCulture),
                 p.DoctorName ?? content.DoctorName])), tableHeader, table, tableHeader);

            Field(flow, "Приступить к работе", content.ReturnToWorkOn is { } returnOn ? Date(returnOn) : "—", bold, regular);
            if (certificate.Status == SickLeaveStatuses.Annulled)
            {
                Field(flow, "Листок аннулирован", content.AnnulmentReason ?? "—", bold, regular);
            }

            flow.Space(8);
            flow.Paragraph($"Версия {certificate.Version} от {Instant(certificate.UpdatedAt)} (мск). Сформировано {Instant(generatedAt)} (мск) " +
                           "в сервисе «Моё здоровье».", small);
            flow.NumberPages((page, pages) => $"Стр. {page} из {pages}", $"{Title} № {certificate.Number}", small);
        }

        document.Info.Title = $"{Title} № {certificate.Number}";
        document.Info.Creator = "Госуслуги · Моё здоровье";
        document.Info.CreationDate = generatedAt.UtcDateTime;
        document.Language = "ru-RU";
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static void Field(PdfFlow flow, string label, string value, PdfFlowFont labelFont, PdfFlowFont valueFont)
    {
        flow.Paragraph(label, labelFont, spaceAfter: 0);
        flow.Paragraph(value, valueFont, indent: 12, spaceAfter: 4);
    }

    private static string Date(DateOnly date) => date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    private static string Instant(DateTimeOffset instant) =>
        ServiceDefaults.MoscowTime.Of(instant).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);
}
