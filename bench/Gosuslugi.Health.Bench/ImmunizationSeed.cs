using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Gosuslugi.Health.Bench;

/// <summary>
/// Gives the demo patient a realistic number of vaccinations, through the gateway as the medical
/// organization would. Re-running it sends the same external ids, which the service treats as repeats.
/// </summary>
public static class ImmunizationSeed
{
    private static readonly (string Code, string Name, string Disease)[] Vaccines =
    [
        ("J07BX03", "Гам-КОВИД-Вак (Спутник V)", "COVID-19"),
        ("J07BB02", "Ультрикс Квадри", "Грипп"),
        ("J07AM51", "АДС-М", "Дифтерия, столбняк"),
        ("J07BC01", "Регевак В", "Гепатит B"),
        ("J07BD52", "Вактривир", "Корь, краснуха, паротит"),
    ];

    public static async Task EnsureAsync(Uri gateway, string organizationToken, string patientToken, string snils, int count)
    {
        using var http = new HttpClient { BaseAddress = gateway };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", organizationToken);
        for (var i = 0; i < count; i++)
        {
            var vaccine = Vaccines[i % Vaccines.Length];
            var body = new
            {
                snils,
                externalId = $"bench-{i:D4}",
                vaccine = new { code = vaccine.Code, name = vaccine.Name },
                disease = vaccine.Disease,
                doseNumber = 1 + i / Vaccines.Length,
                lotNumber = $"L{1000 + i}",
                administeredOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-30 * (i + 1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
            // The service learns the patient's SNILS from identity's event; right after a fresh start it may
            // not have arrived yet, which the service answers with 422.
            for (var attempt = 0; ; attempt++)
            {
                using var response = await http.PostAsJsonAsync("api/v1/immunizations", body);
                if (response.IsSuccessStatusCode) break;
                if (response.StatusCode != HttpStatusCode.UnprocessableEntity || attempt == 30)
                    throw new InvalidOperationException($"Seeding answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                await Task.Delay(1000);
            }
        }

        using var patient = new HttpClient { BaseAddress = gateway };
        patient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", patientToken);
        using var list = await patient.GetFromJsonAsync<JsonDocument>("api/v1/immunizations");
        var seen = list!.RootElement.GetProperty("items").GetArrayLength();
        if (seen < count) throw new InvalidOperationException($"The patient sees {seen} vaccinations, expected at least {count}.");
    }
}
