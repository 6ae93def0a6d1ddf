using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Gosuslugi.Health.EndToEnd.Tests;

/// <summary>
/// Booking a doctor through the gateway with tokens from the real identity service: the organization publishes its
/// doctor and schedule, the patient (confirmed account, OMS policy: learned from identity's events) books a slot,
/// the confirmation reaches the patient's open live feed and the feed list, the doctor sees the visit in their day
/// and — through Records, which learns the care relationship from the booking — may open the patient's record;
/// cancelling tells the patient. Nobody else sees the appointment.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AppointmentFlowTests(HealthSystem system)
{
    private static readonly TimeSpan EventualTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Patient_books_and_cancels_a_visit_the_doctor_sees_it_and_the_patient_is_told_live()
    {
        var accounts = system.Accounts;
        using var organization = system.GatewayClient(await system.OrganizationTokenAsync());
        var patientToken = await system.SignInAsync(accounts.Patient);
        using var patient = system.GatewayClient(patientToken);
        using var otherPatient = system.GatewayClient(await system.SignInAsync(accounts.OtherPatient));
        var doctorToken = await system.SignInAsync(accounts.Doctor);
        using var doctor = system.GatewayClient(doctorToken);

        (await organization.PutAsJsonAsync("api/v1/appointments/org/profile", new
        {
            name = accounts.MedicalOrganization.OrganizationName, kind = "polyclinic",
            address = "г. Москва, ул. Ленина, д. 1", phone = "+74951234567",
        })).EnsureSuccessStatusCode();
        (await organization.PutAsJsonAsync("api/v1/appointments/org/doctors/e2e-therapist", new
        {
            familyName = "Петрова", givenName = "Анна", middleName = "Сергеевна", specialty = "therapist",
            accountId = HealthSystem.Subject(doctorToken),
        })).EnsureSuccessStatusCode();
        var day = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(3));
        (await organization.PostAsJsonAsync("api/v1/appointments/org/doctors/e2e-therapist/schedule", new
        {
            from = day, to = day, weekdays = new[] { 1, 2, 3, 4, 5, 6, 7 }, start = "09:00", end = "10:00", slotMinutes = 20,
            telemedicine = false,
        })).EnsureSuccessStatusCode();

        var slots = await patient.GetFromJsonAsync<JsonElement>(
            $"api/v1/appointments/slots?specialty=therapist&organizationId={accounts.MedicalOrganization.OrganizationId}&from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}");
        var slotId = slots.GetProperty("items")[0].GetProperty("id").GetGuid();

        using var live = new LiveFeed(system.GatewayClient(await system.SignInAsync(accounts.Patient)));
        await live.OpenAsync();

        // Identity's events (account level, OMS policy) reach Appointments asynchronously after the accounts are made.
        var appointment = await EventuallyAsync(async () =>
        {
            using var response = await patient.PostAsJsonAsync("api/v1/appointments", new { slotId });
            if (response.StatusCode == HttpStatusCode.UnprocessableEntity) return null;
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        });
        var appointmentId = appointment.GetProperty("id").GetGuid();
        appointment.GetProperty("status").GetString().ShouldBe("booked");

        var confirmation = await live.NextAsync(n => n.GetProperty("category").GetString() == "appointment", EventualTimeout);
        confirmation.GetProperty("body").GetString()!.ShouldContain("Петрова");

        // The doctor sees the visit in their day, and Records opened the patient's record to the organization's doctors.
        var doctorDay = await doctor.GetFromJsonAsync<JsonElement>($"api/v1/appointments/doctor/day?date={day:yyyy-MM-dd}");
        doctorDay.GetRawText().ShouldContain(appointmentId.ToString());
        var patientId = appointment.TryGetProperty("patientId", out var pid) ? pid.GetGuid() : HealthSystem.Subject(patientToken);
        await EventuallyAsync(async () =>
        {
            using var response = await doctor.GetAsync($"api/v1/records/patients/{patientId}/history");
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
        });

        // Nobody else sees it.
        (await otherPatient.GetAsync($"api/v1/appointments/{appointmentId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var cancelForeign = await otherPatient.PostAsJsonAsync($"api/v1/appointments/{appointmentId}/cancel", new { reason = "чужая" });
        cancelForeign.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await patient.PostAsJsonAsync($"api/v1/appointments/{appointmentId}/cancel", new { reason = "Не смогу прийти" }))
            .EnsureSuccessStatusCode();
        await EventuallyAsync(async () =>
        {
            var feed = await patient.GetFromJsonAsync<JsonElement>("api/v1/notifications");
            return feed.GetProperty("items").EnumerateArray()
                .Where(n => n.GetProperty("category").GetString() == "appointment" && n.GetProperty("title").GetString()!.Contains("отмен", StringComparison.OrdinalIgnoreCase))
                .Select(n => (JsonElement?)n).FirstOrDefault();
        });
    }

    private static async Task<JsonElement> EventuallyAsync(Func<Task<JsonElement?>> probe)
    {
        var deadline = DateTime.UtcNow + EventualTimeout;
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The expected state was not reached in time.");
            await Task.Delay(250);
        }
    }

    /// <summary>The patient's open live feed (server-sent events through the gateway).</summary>
    private sealed class LiveFeed(HttpClient client) : IDisposable
    {
        private HttpResponseMessage? _response;
        private StreamReader? _reader;

        public async Task OpenAsync()
        {
            _response = await client.GetAsync("api/v1/notifications/stream", HttpCompletionOption.ResponseHeadersRead);
            _response.StatusCode.ShouldBe(HttpStatusCode.OK);
            _response.Content.Headers.ContentType?.MediaType.ShouldBe("text/event-stream");
            _reader = new StreamReader(await _response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        }

        public async Task<JsonElement> NextAsync(Func<JsonElement, bool> match, TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            // Event blocks: "event: notification" or "event: heartbeat" (no data), then "data: ...", then a blank line.
            string? eventType = null;
            while (await _reader!.ReadLineAsync(cts.Token) is { } line)
            {
                if (line.StartsWith("event:", StringComparison.Ordinal)) eventType = line[6..].Trim();
                else if (line.Length == 0) eventType = null;
                else if (line.StartsWith("data:", StringComparison.Ordinal) && eventType == "notification")
                {
                    var item = JsonDocument.Parse(line[5..]).RootElement.Clone();
                    if (match(item)) return item;
                }
            }
            throw new InvalidOperationException("The live feed ended.");
        }

        public void Dispose()
        {
            _reader?.Dispose();
            _response?.Dispose();
            client.Dispose();
        }
    }
}
