using Gosuslugi.Health.Contracts.Prescriptions;
using Gosuslugi.Health.Prescriptions.Data;
using Gosuslugi.Health.Prescriptions.Expiry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gosuslugi.Health.Prescriptions.Tests;

/// <summary>
/// The sweep run with a "now" weeks ahead, on prescriptions valid until then, so the service's own background sweep
/// (real time) never takes them first.
/// </summary>
[Collection(PrescriptionsCollection.Name)]
public sealed class ExpiryTests(PrescriptionsApp app)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static FakeTimeProvider At(DateOnly date) =>
        new(new DateTimeOffset(date.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(3)).ToUniversalTime());

    private async Task SweepUntilDoneAsync(TimeProvider time)
    {
        while (true)
        {
            await using var scope = app.Factory.Services.CreateAsyncScope();
            if (await PrescriptionExpiry.SweepAsync(scope.ServiceProvider.GetRequiredService<PrescriptionsDb>(), time, leadDays: 3) < 100) return;
        }
    }

    [Fact]
    public async Task An_unused_prescription_is_reminded_once_before_its_last_day_and_marked_expired_after_it()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var lastDay = Today.AddDays(40);
        var id = await app.PublishAsync(snils, validUntil: lastDay.ToString("yyyy-MM-dd"));

        await SweepUntilDoneAsync(At(lastDay.AddDays(-10)));
        (await app.OutboxPayloadsAsync(typeof(PrescriptionExpiring).FullName!, patientId)).ShouldBeEmpty();

        await SweepUntilDoneAsync(At(lastDay.AddDays(-2)));
        await SweepUntilDoneAsync(At(lastDay.AddDays(-1)));
        (await app.OutboxPayloadsAsync(typeof(PrescriptionExpiring).FullName!, patientId)).ShouldHaveSingleItem();

        await SweepUntilDoneAsync(At(lastDay));
        (await app.WithDbAsync(db => db.Prescriptions.SingleAsync(p => p.Id == id))).Status.ShouldBe(PrescriptionStatuses.Active);
        await SweepUntilDoneAsync(At(lastDay.AddDays(1)));
        (await app.WithDbAsync(db => db.Prescriptions.SingleAsync(p => p.Id == id))).Status.ShouldBe(PrescriptionStatuses.Expired);
        (await app.OutboxPayloadsAsync(typeof(PrescriptionStatusChanged).FullName!, patientId))
            .ShouldHaveSingleItem().GetProperty("change").GetString().ShouldBe(PrescriptionChanges.Expired);
    }

    [Fact]
    public async Task A_partly_dispensed_prescription_is_not_reminded()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var lastDay = Today.AddDays(45);
        var id = await app.PublishAsync(snils, quantity: 2, validUntil: lastDay.ToString("yyyy-MM-dd"));
        await app.WithDbAsync(db => db.Prescriptions.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.DispensedQuantity, 1m)));

        await SweepUntilDoneAsync(At(lastDay.AddDays(-1)));

        (await app.OutboxPayloadsAsync(typeof(PrescriptionExpiring).FullName!, patientId)).ShouldBeEmpty();
    }
}
