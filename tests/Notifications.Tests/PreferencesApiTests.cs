using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Tests;

[Collection(NotificationsCollection.Name)]
public sealed class PreferencesApiTests(NotificationsApp app)
{
    [Fact]
    public async Task Defaults_then_saved_choices_are_returned()
    {
        using var client = app.PatientClient(Guid.CreateVersion7());
        var initial = await client.GetFromJsonAsync<JsonElement>("/api/v1/notifications/preferences");
        Assert.Equal(JsonValueKind.Null, initial.GetProperty("quietHours").ValueKind);
        Assert.False(initial.GetProperty("channels").GetProperty("record_item").GetProperty("sms").GetBoolean());

        using var put = await client.PutAsJsonAsync("/api/v1/notifications/preferences", new
        {
            quietHours = new { from = "22:00", to = "08:00" },
            channels = new Dictionary<string, object> { ["record_item"] = new { sms = true, email = false, push = true } },
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var saved = await client.GetFromJsonAsync<JsonElement>("/api/v1/notifications/preferences");
        Assert.Equal("22:00", saved.GetProperty("quietHours").GetProperty("from").GetString());
        Assert.Equal("08:00", saved.GetProperty("quietHours").GetProperty("to").GetString());
        var recordItem = saved.GetProperty("channels").GetProperty("record_item");
        Assert.True(recordItem.GetProperty("sms").GetBoolean());
        Assert.False(recordItem.GetProperty("email").GetBoolean());
    }

    [Fact]
    public async Task Invalid_preferences_are_refused_in_russian()
    {
        using var client = app.PatientClient(Guid.CreateVersion7());
        using var put = await client.PutAsJsonAsync("/api/v1/notifications/preferences", new
        {
            quietHours = new { from = "25:00", to = "08:00" },
            channels = new Dictionary<string, object> { ["horoscope"] = new { sms = true, email = true, push = true } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var problem = await put.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Contains("ЧЧ:ММ", errors.GetProperty("quietHours.from")[0].GetString());
        Assert.True(errors.TryGetProperty("channels.horoscope", out _));
    }

    [Fact]
    public async Task A_representative_token_cannot_change_preferences()
    {
        using var client = app.CreateClient(
            app.Issuer.CreateDelegatedToken(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7()));
        using var get = await client.GetAsync("/api/v1/notifications/preferences");
        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        using var post = await client.PostAsJsonAsync("/api/v1/notifications/devices", new { token = "t", platform = "ios" });
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
    }

    [Fact]
    public async Task Devices_register_once_and_only_the_owner_removes_them()
    {
        var ownerId = Guid.CreateVersion7();
        using var owner = app.PatientClient(ownerId);
        var token = $"push-{Guid.NewGuid()}";
        using var first = await owner.PostAsJsonAsync("/api/v1/notifications/devices", new { token, platform = "android" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var again = await owner.PostAsJsonAsync("/api/v1/notifications/devices", new { token, platform = "android" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var bad = await owner.PostAsJsonAsync("/api/v1/notifications/devices", new { token = "", platform = "symbian" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        using var other = app.PatientClient(Guid.CreateVersion7());
        using var foreign = await other.DeleteAsync($"/api/v1/notifications/devices/{id}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.PushDevices.CountAsync(d => d.Id == id)));

        using var removed = await owner.DeleteAsync($"/api/v1/notifications/devices/{id}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.PushDevices.CountAsync(d => d.Id == id)));
    }
}
