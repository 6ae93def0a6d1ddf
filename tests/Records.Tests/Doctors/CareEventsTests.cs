using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults.Care;
using static Gosuslugi.Health.Records.Tests.Doctors.CareTestSupport;

namespace Gosuslugi.Health.Records.Tests.Doctors;

/// <summary>Appointments' events, published on the bus, become care relationships; late and repeated ones change nothing.</summary>
[Collection(RecordsCollection.Name)]
public sealed class CareEventsTests(RecordsApp app)
{
    private static DateTimeOffset StartOfMoscowDay(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Moscow).ToUniversalTime();

    private Task<bool> InCareAsync(Guid patientId, Guid organizationId, DateTimeOffset? at = null) =>
        app.WithDbAsync(db => db.IsInCareAsync(patientId, organizationId, at ?? DateTimeOffset.UtcNow));

    [Fact]
    public async Task An_attachment_runs_from_the_Moscow_day_until_detached_and_a_new_one_ends_the_previous()
    {
        var patientId = Guid.CreateVersion7();
        var first = Guid.CreateVersion7();
        var second = Guid.CreateVersion7();
        var attachedOn = MoscowToday.AddDays(-100);

        var firstAttachment = await app.AttachAsync(patientId, first, attachedOn, DateTimeOffset.UtcNow.AddDays(-100));
        var row = (await app.CareAsync(firstAttachment))!;
        row.Kind.ShouldBe(CareRelationship.Attachment);
        row.OrganizationId.ShouldBe(first);
        row.ValidFrom.ShouldBe(StartOfMoscowDay(attachedOn));
        row.ValidUntil.ShouldBeNull();
        (await InCareAsync(patientId, first)).ShouldBeTrue();
        (await InCareAsync(patientId, first, StartOfMoscowDay(attachedOn).AddSeconds(-1))).ShouldBeFalse();

        // One polyclinic at a time: attaching elsewhere ends the first attachment where the new one begins.
        var movedOn = MoscowToday.AddDays(-10);
        var secondAttachment = await app.AttachAsync(patientId, second, movedOn);
        (await app.CareAsync(firstAttachment))!.ValidUntil.ShouldBe(StartOfMoscowDay(movedOn));
        (await InCareAsync(patientId, first)).ShouldBeFalse();
        (await InCareAsync(patientId, second)).ShouldBeTrue();

        await app.DetachAsync(secondAttachment, patientId, second);
        (await app.CareAsync(secondAttachment))!.ValidUntil.ShouldBe(StartOfMoscowDay(MoscowToday));
        (await InCareAsync(patientId, second)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_detachment_that_overtakes_its_attachment_keeps_it_closed()
    {
        var patientId = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var attachmentId = Guid.CreateVersion7();
        var attachedAt = DateTimeOffset.UtcNow.AddMinutes(-5);

        await app.DetachAsync(attachmentId, patientId, organizationId, occurredAt: attachedAt.AddMinutes(1));
        await app.PublishAndWaitAsync(new PatientAttached(attachmentId, patientId, organizationId,
            "ГБУЗ «Городская поликлиника № 1»", MoscowToday.AddDays(-1), attachedAt), "care-patient-attached");

        (await InCareAsync(patientId, organizationId)).ShouldBeFalse();
    }

    [Fact]
    public async Task An_appointment_runs_from_booking_to_30_days_after_the_visit_moves_and_is_cancelled()
    {
        var patientId = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var doctorId = Guid.CreateVersion7();
        var appointmentId = Guid.CreateVersion7();
        var bookedAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        var startsAt = DateTimeOffset.UtcNow.AddDays(3);

        await app.BookAsync(appointmentId, patientId, organizationId, startsAt, bookedAt, doctorId);
        var row = (await app.CareAsync(appointmentId))!;
        row.Kind.ShouldBe(CareRelationship.Appointment);
        row.DoctorId.ShouldBe(doctorId);
        row.ValidFrom.ShouldBe(bookedAt, TimeSpan.FromMilliseconds(1));
        row.ValidUntil!.Value.ShouldBe(startsAt.AddDays(30), TimeSpan.FromMilliseconds(1));
        (await InCareAsync(patientId, organizationId)).ShouldBeTrue();
        (await InCareAsync(patientId, organizationId, bookedAt.AddSeconds(-1))).ShouldBeFalse();

        // Moved to a later day: the same id, a newer event.
        await app.BookAsync(appointmentId, patientId, organizationId, startsAt.AddDays(7), bookedAt.AddMinutes(1), doctorId);
        (await app.CareAsync(appointmentId))!.ValidUntil!.Value.ShouldBe(startsAt.AddDays(37), TimeSpan.FromMilliseconds(1));

        // The first booking redelivered late (a new message id, an older event) changes nothing.
        await app.BookAsync(appointmentId, patientId, organizationId, startsAt, bookedAt, doctorId);
        (await app.CareAsync(appointmentId))!.ValidUntil!.Value.ShouldBe(startsAt.AddDays(37), TimeSpan.FromMilliseconds(1));

        var cancelledAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        await app.CancelAsync(appointmentId, patientId, organizationId, cancelledAt);
        (await app.CareAsync(appointmentId))!.ValidUntil!.Value.ShouldBe(cancelledAt, TimeSpan.FromMilliseconds(1));
        (await InCareAsync(patientId, organizationId)).ShouldBeFalse();

        // A booking older than the cancellation, arriving after it, does not reopen the record.
        await app.BookAsync(appointmentId, patientId, organizationId, startsAt.AddDays(1), bookedAt.AddMinutes(2), doctorId);
        (await InCareAsync(patientId, organizationId)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_cancellation_that_overtakes_its_booking_keeps_the_record_closed()
    {
        var patientId = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var appointmentId = Guid.CreateVersion7();
        var bookedAt = DateTimeOffset.UtcNow.AddMinutes(-3);

        await app.CancelAsync(appointmentId, patientId, organizationId, bookedAt.AddMinutes(1));
        await app.BookAsync(appointmentId, patientId, organizationId, DateTimeOffset.UtcNow.AddDays(2), bookedAt);

        (await InCareAsync(patientId, organizationId)).ShouldBeFalse();
    }
}
