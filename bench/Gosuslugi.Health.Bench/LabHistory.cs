using System.Globalization;
using System.Text.Json.Nodes;

namespace Gosuslugi.Health.Bench;

/// <summary>
/// Ten years of one patient's lab results as a laboratory would send them: five panels in turn, five analytes each,
/// so every analyte has a fifth of the results as its series. Values wander around the reference range, about one in
/// eight outside it. Deterministic, so that two runs measure the same data.
/// </summary>
public sealed class LabHistory
{
    public sealed record Analyte(string Code, string Name, string Unit, decimal Low, decimal High, int Decimals);

    public sealed record Panel(string Code, string Title, Analyte[] Analytes);

    public static readonly Panel[] Panels =
    [
        new("58410-2", "Общий анализ крови",
        [
            new("718-7", "Гемоглобин", "г/л", 120m, 160m, 0),
            new("6690-2", "Лейкоциты", "10^9/л", 4.0m, 9.0m, 1),
            new("789-8", "Эритроциты", "10^12/л", 3.8m, 5.3m, 2),
            new("777-3", "Тромбоциты", "10^9/л", 150m, 400m, 0),
            new("4537-7", "СОЭ", "мм/ч", 2m, 15m, 0),
        ]),
        new("24323-8", "Биохимический анализ крови",
        [
            new("2345-7", "Глюкоза", "ммоль/л", 3.9m, 6.1m, 1),
            new("2160-0", "Креатинин", "мкмоль/л", 62m, 106m, 0),
            new("1742-6", "АЛТ", "Ед/л", 0m, 41m, 0),
            new("1920-8", "АСТ", "Ед/л", 0m, 40m, 0),
            new("1975-2", "Билирубин общий", "мкмоль/л", 3.4m, 20.5m, 1),
        ]),
        new("57698-3", "Липидный профиль",
        [
            new("2093-3", "Холестерин общий", "ммоль/л", 3.0m, 5.2m, 2),
            new("13457-7", "Холестерин ЛПНП", "ммоль/л", 1.0m, 3.0m, 2),
            new("2085-9", "Холестерин ЛПВП", "ммоль/л", 1.0m, 2.0m, 2),
            new("2571-8", "Триглицериды", "ммоль/л", 0.4m, 1.7m, 2),
            new("43396-1", "Холестерин не-ЛПВП", "ммоль/л", 1.5m, 3.8m, 2),
        ]),
        new("24348-5", "Гормоны щитовидной железы и гликированный гемоглобин",
        [
            new("3016-3", "ТТГ", "мМЕ/л", 0.4m, 4.0m, 2),
            new("3024-7", "Т4 свободный", "пмоль/л", 9.0m, 19.0m, 1),
            new("3051-0", "Т3 свободный", "пмоль/л", 2.6m, 5.7m, 1),
            new("8099-4", "Антитела к ТПО", "МЕ/мл", 0m, 34m, 0),
            new("4548-4", "Гликированный гемоглобин", "%", 4.0m, 6.0m, 1),
        ]),
        new("24356-8", "Общий анализ мочи",
        [
            new("2756-5", "pH мочи", "ед", 5.0m, 7.0m, 1),
            new("2965-2", "Удельный вес мочи", "г/мл", 1.010m, 1.025m, 3),
            new("2888-6", "Белок в моче", "г/л", 0m, 0.14m, 2),
            new("5821-4", "Лейкоциты в моче", "в п/з", 0m, 5m, 0),
            new("13945-1", "Эритроциты в моче", "в п/з", 0m, 2m, 0),
        ]),
    ];

    /// <summary>The analyte whose trend is measured (in every fifth result).</summary>
    public static Analyte TrendAnalyte => Panels[0].Analytes[0];

    public LabHistory(int results, DateTimeOffset newest, TimeSpan span)
    {
        Count = results;
        var step = span / Math.Max(1, results - 1);
        // Whole minutes: what a lab information system records.
        TakenAt = Enumerable.Range(0, results)
            .Select(i => new DateTimeOffset(((newest - span + step * i).UtcTicks / TimeSpan.TicksPerMinute) * TimeSpan.TicksPerMinute, TimeSpan.Zero))
            .ToArray();
    }

    public int Count { get; }

    /// <summary>When the sample of result <c>i</c> was taken, oldest first.</summary>
    public DateTimeOffset[] TakenAt { get; }

    public static string ExternalId(int i) => $"bench-lab-{i:D5}";

    /// <summary>Result <c>i</c> as a FHIR R4 DiagnosticReport with its Observations contained.</summary>
    public string DiagnosticReport(int i, string snils)
    {
        var panel = Panels[i % Panels.Length];
        var random = new Random(i);
        var taken = TakenAt[i];
        var observations = new JsonArray();
        var references = new JsonArray();
        for (var a = 0; a < panel.Analytes.Length; a++)
        {
            var analyte = panel.Analytes[a];
            var value = Value(analyte, random);
            var interpretation = value < analyte.Low ? "L" : value > analyte.High ? "H" : "N";
            var id = $"obs{a + 1}";
            references.Add(new JsonObject { ["reference"] = "#" + id });
            observations.Add(new JsonObject
            {
                ["resourceType"] = "Observation",
                ["id"] = id,
                ["status"] = "final",
                ["code"] = new JsonObject
                {
                    ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = analyte.Code, ["display"] = analyte.Name }),
                    ["text"] = analyte.Name,
                },
                ["effectiveDateTime"] = Instant(taken),
                ["valueQuantity"] = new JsonObject { ["value"] = value, ["unit"] = analyte.Unit },
                ["referenceRange"] = new JsonArray(new JsonObject
                {
                    ["low"] = new JsonObject { ["value"] = analyte.Low, ["unit"] = analyte.Unit },
                    ["high"] = new JsonObject { ["value"] = analyte.High, ["unit"] = analyte.Unit },
                }),
                ["interpretation"] = new JsonArray(new JsonObject
                {
                    ["coding"] = new JsonArray(new JsonObject
                    {
                        ["system"] = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                        ["code"] = interpretation,
                    }),
                }),
            });
        }

        var report = new JsonObject
        {
            ["resourceType"] = "DiagnosticReport",
            ["identifier"] = new JsonArray(new JsonObject { ["system"] = "urn:bench:lab", ["value"] = ExternalId(i) }),
            ["status"] = "final",
            ["category"] = new JsonArray(new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject
                {
                    ["system"] = "http://terminology.hl7.org/CodeSystem/v2-0074", ["code"] = "LAB", ["display"] = "Laboratory",
                }),
            }),
            ["code"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = panel.Code, ["display"] = panel.Title }),
                ["text"] = panel.Title,
            },
            ["subject"] = new JsonObject
            {
                ["identifier"] = new JsonObject { ["system"] = "urn:oid:1.2.643.100.3", ["value"] = snils },
            },
            ["effectiveDateTime"] = Instant(taken),
            ["issued"] = Instant(taken.AddHours(6)),
            ["performer"] = new JsonArray(new JsonObject { ["display"] = "Клинико-диагностическая лаборатория" }),
            ["contained"] = observations,
            ["result"] = references,
            ["conclusion"] = "Результаты исследования",
        };
        return report.ToJsonString();
    }

    /// <summary>Mostly inside the range, about one in eight a little outside it.</summary>
    private static decimal Value(Analyte analyte, Random random)
    {
        var width = (double)(analyte.High - analyte.Low);
        var position = random.NextDouble() < 0.125
            ? (random.NextDouble() < 0.5 ? -0.25 : 1.0) + random.NextDouble() * 0.25
            : 0.1 + random.NextDouble() * 0.8;
        var value = Math.Max(0, (double)analyte.Low + position * width);
        return Math.Round((decimal)value, analyte.Decimals);
    }

    private static string Instant(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
