using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Records.Events;

/// <summary>
/// Records consumes its own <see cref="MedicalRecordItemPublished"/>: after a new lab result is stored, each numeric
/// value above the patient's upper threshold or below their lower one for that analyte is announced as
/// <see cref="LabThresholdCrossed"/> (through the outbox, in the inbox transaction), for Notifications to tell the
/// patient. Checking after the publication keeps ingestion independent of thresholds.
/// </summary>
public sealed class ThresholdCrossingConsumer(RecordsDb db, PatientDataKeys<RecordsDb> keys, TimeProvider time,
    ILogger<ThresholdCrossingConsumer> logger)
    : IdempotentConsumer<MedicalRecordItemPublished, RecordsDb>(db)
{
    public const string EndpointName = "records-threshold-crossings";

    public const string Above = "above";
    public const string Below = "below";

    protected override string ConsumerName => EndpointName;

    protected override async Task HandleAsync(ConsumeContext<MedicalRecordItemPublished> context, CancellationToken ct)
    {
        var published = context.Message;
        if (published.Kind != RecordItemKinds.LabResult) return;

        // Only the version that is still current: values a later correction replaced are not announced.
        var rows = await Db.Observations.AsNoTracking()
            .Where(o => o.ItemId == published.ItemId && o.PatientId == published.PatientId && o.IsCurrent)
            .OrderBy(o => o.Position)
            .Select(o => new { o.AnalyteCode, o.Content, o.Unit, o.TakenAt })
            .ToListAsync(ct);
        if (rows.Count == 0) return;
        // Numbers only: the value is part of the sealed content, so text results are told apart once opened.
        var cipher = await keys.ForReadingAsync(published.PatientId, ct);
        var values = rows
            .Select(o => (Row: o, Content: ObservationContent.Open(cipher, o.Content)))
            .Where(o => o.Content.Value is not null)
            .Select(o => new { o.Row.AnalyteCode, o.Content.AnalyteName, Value = o.Content.Value!.Value, o.Row.Unit, o.Row.TakenAt })
            .ToList();
        if (values.Count == 0) return;

        var codes = values.Select(v => v.AnalyteCode).Distinct().ToList();
        var thresholds = await Db.Thresholds.AsNoTracking()
            .Where(t => t.PatientId == published.PatientId && codes.Contains(t.AnalyteCode))
            .ToDictionaryAsync(t => t.AnalyteCode, ct);
        if (thresholds.Count == 0) return;

        var now = time.GetUtcNow();
        var crossings = 0;
        foreach (var value in values)
        {
            if (!thresholds.TryGetValue(value.AnalyteCode, out var threshold)) continue;
            if (Crossing(value.Value, threshold) is not { } crossing) continue;

            Db.AddOutboxEvent(new LabThresholdCrossed(published.PatientId, published.ItemId, value.AnalyteCode,
                value.AnalyteName, value.Value, value.Unit, crossing.Limit, crossing.Direction, value.TakenAt, now));
            crossings++;
        }

        if (crossings > 0)
        {
            logger.LogInformation("Result {ItemId} crossed {Crossings} threshold(s) of patient {PatientId}",
                published.ItemId, crossings, published.PatientId);
        }
    }

    /// <summary>The threshold the value is beyond and on which side; null when it lies within them (bounds included).</summary>
    public static (decimal Limit, string Direction)? Crossing(decimal value, AnalyteThreshold threshold)
    {
        if (threshold.High is { } high && value > high) return (high, Above);
        if (threshold.Low is { } low && value < low) return (low, Below);
        return null;
    }
}
