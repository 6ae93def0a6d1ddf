using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.Notifications.Events;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Tests;

[Collection(NotificationsCollection.Name)]
public sealed class LiveFeedTests(NotificationsApp app)
{
    private const string Stream = "/api/v1/notifications/stream";

    [Fact]
    public async Task A_notification_created_from_an_event_reaches_the_patients_open_stream()
    {
        var patientId = Guid.CreateVersion7();
        await using var stream = await LiveStream.OpenAsync(app.PatientClient(patientId));

        var message = RecordNotificationsTests.Submitted(patientId);
        await app.Bus.Publish(message);

        var item = await stream.NextNotificationAsync(TimeSpan.FromSeconds(10));
        item["category"]!.GetValue<string>().ShouldBe(NotificationCategories.DataRequest);
        item["title"]!.GetValue<string>().ShouldBe(NotificationTexts.DataRequestSubmitted(message).Title);
        item["link"]!.GetValue<string>().ShouldBe(DataRequestSubmittedConsumer.DataRequestLink(message.RequestId));
        var stored = await app.WithDbAsync(db => db.Notifications.SingleAsync(n => n.PatientId == patientId));
        item["id"]!.GetValue<Guid>().ShouldBe(stored.Id);
    }

    [Fact]
    public async Task Another_patients_stream_gets_nothing()
    {
        var patientId = Guid.CreateVersion7();
        var otherId = Guid.CreateVersion7();
        await using var own = await LiveStream.OpenAsync(app.PatientClient(patientId));
        await using var other = await LiveStream.OpenAsync(app.PatientClient(otherId));

        await app.Bus.Publish(RecordNotificationsTests.Submitted(patientId));

        await own.NextNotificationAsync(TimeSpan.FromSeconds(10));
        (await other.TryNextNotificationAsync(TimeSpan.FromSeconds(2))).ShouldBeNull();
    }

    [Fact]
    public async Task A_notification_saved_without_a_transaction_is_announced_after_it_is_saved()
    {
        var patientId = Guid.CreateVersion7();
        await using var stream = await LiveStream.OpenAsync(app.PatientClient(patientId));
        var sourceId = Guid.CreateVersion7();

        await app.WithDbAsync(async db =>
        {
            await db.AddOnceAsync(patientId, NotificationCategories.Security,
                new NotificationText("Вход с нового устройства", "Выполнен вход с нового устройства.", "Вход."),
                null, sourceId, DateTimeOffset.UtcNow, CancellationToken.None);
            (await stream.TryNextNotificationAsync(TimeSpan.FromMilliseconds(500))).ShouldBeNull("not before it is saved");
            await db.SaveChangesAsync();
        });

        var item = await stream.NextNotificationAsync(TimeSpan.FromSeconds(10));
        item["title"]!.GetValue<string>().ShouldBe("Вход с нового устройства");
    }

    [Fact]
    public async Task A_stream_on_a_second_instance_receives_what_the_first_created()
    {
        // Stopped at the end: left running, it would take its share of the collection's messages from other tests.
        await using var second = await app.StartAnotherInstanceAsync();
        var patientId = Guid.CreateVersion7();
        var client = second.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            app.Issuer.CreateToken(patientId.ToString(), ["patient"], ["health"]));
        await using var stream = await LiveStream.OpenAsync(client);

        // Created in the first instance, inside a transaction like a consumer's.
        await app.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.AddOnceAsync(patientId, NotificationCategories.RecordItem,
                new NotificationText("Новый результат анализа", "В карту добавлен результат.", "Результат."),
                "/api/v1/records/items/1", Guid.CreateVersion7(), DateTimeOffset.UtcNow, CancellationToken.None);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        });

        var item = await stream.NextNotificationAsync(TimeSpan.FromSeconds(10));
        item["title"]!.GetValue<string>().ShouldBe("Новый результат анализа");
    }

    [Fact]
    public async Task Opening_the_stream_is_logged_once()
    {
        var patientId = Guid.CreateVersion7();
        await using (await LiveStream.OpenAsync(app.PatientClient(patientId)))
        {
        }

        var accesses = await app.OutboxPayloadsAsync(typeof(PatientDataAccessed).FullName!, patientId);
        var access = accesses.ShouldHaveSingleItem();
        access.GetProperty("section").GetString().ShouldBe("notifications");
        access.GetProperty("action").GetString().ShouldBe(AccessActions.Read);
    }

    [Fact]
    public async Task Without_a_token_or_with_a_limited_delegation_the_stream_is_refused()
    {
        using var anonymous = app.CreateClient();
        using var noToken = await anonymous.GetAsync(Stream);
        noToken.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var principalId = Guid.CreateVersion7();
        using var limited = app.CreateClient(app.Issuer.CreateDelegatedToken(principalId, Guid.CreateVersion7(),
            Guid.CreateVersion7(), scope: HealthClaims.Scopes.DelegatedLimited));
        using var refused = await limited.GetAsync(Stream);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.ReadObjectAsync())["reason"]!.GetValue<string>().ShouldBe(AccessProblems.SectionNotDelegatedReason);
        (await app.OutboxPayloadsAsync(typeof(PatientDataAccessed).FullName!, principalId))
            .ShouldAllBe(a => a.GetProperty("outcome").GetString() != AccessOutcomes.Allowed);
    }

    /// <summary>An open event stream read in the background: "notification" events' data, in order.</summary>
    private sealed class LiveStream : IAsyncDisposable
    {
        private readonly HttpClient _client;
        private readonly HttpResponseMessage _response;
        private readonly CancellationTokenSource _stop = new();
        private readonly Channel<JsonObject> _notifications = Channel.CreateUnbounded<JsonObject>();
        private readonly Task _reader;

        private LiveStream(HttpClient client, HttpResponseMessage response)
        {
            _client = client;
            _response = response;
            _reader = ReadAsync();
        }

        public static async Task<LiveStream> OpenAsync(HttpClient client)
        {
            client.Timeout = Timeout.InfiniteTimeSpan;
            var response = await client.GetAsync(Stream, HttpCompletionOption.ResponseHeadersRead);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("text/event-stream");
            return new LiveStream(client, response);
        }

        public async Task<JsonObject> NextNotificationAsync(TimeSpan timeout) =>
            await TryNextNotificationAsync(timeout) ?? throw new TimeoutException("No notification arrived in the stream.");

        public async Task<JsonObject?> TryNextNotificationAsync(TimeSpan timeout)
        {
            using var wait = new CancellationTokenSource(timeout);
            try
            {
                return await _notifications.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        private async Task ReadAsync()
        {
            try
            {
                using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_stop.Token), Encoding.UTF8);
                string? eventType = null;
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith("event:", StringComparison.Ordinal))
                    {
                        eventType = line["event:".Length..].Trim();
                    }
                    else if (line.StartsWith("data:", StringComparison.Ordinal) && eventType == "notification")
                    {
                        _notifications.Writer.TryWrite(JsonNode.Parse(line["data:".Length..])!.AsObject());
                    }
                    else if (line.Length == 0)
                    {
                        eventType = null;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _response.Dispose();
            try
            {
                await _reader.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or TimeoutException)
            {
            }
            _client.Dispose();
            _stop.Dispose();
        }
    }
}
