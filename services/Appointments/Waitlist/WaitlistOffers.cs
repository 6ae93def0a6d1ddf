using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;

namespace Gosuslugi.Health.Appointments.Waitlist;

public static class WaitlistOffers
{
    /// <summary>
    /// A slot was freed (cancelled or moved away from): when a waiting patient wants it, hold it for the first of them and
    /// add the offer and its event to <paramref name="db"/> (saved by the caller, in its transaction).
    /// </summary>
    public static Task OfferFreedSlotAsync(AppointmentsDb db, Slot slot, DateTimeOffset now, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Offer expiry and the service's waitlist wiring.</summary>
    public static IHostApplicationBuilder AddWaitlist(this IHostApplicationBuilder builder) => builder;
}
