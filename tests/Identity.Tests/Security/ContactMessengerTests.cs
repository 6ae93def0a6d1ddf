using System.Text.Json;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gosuslugi.Health.Identity.Tests.Security;

public sealed class ContactMessengerTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mailbox-tests-" + Guid.NewGuid().ToString("N"), "nested");

    private ContactMessenger Messenger(string? directory, ILogger<ContactMessenger>? logger = null) => new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [ContactMessenger.MailboxDirectoryKey] = directory }).Build(),
        TimeProvider.System,
        logger ?? NullLogger<ContactMessenger>.Instance);

    [Fact]
    public async Task Messages_are_appended_as_json_lines_in_a_created_directory()
    {
        var messenger = Messenger(_directory);

        await messenger.SendAsync(ContactChannel.Sms, "+79123456789", "Код для входа в «Моё здоровье»: 123456. Никому не сообщайте его.", default);
        await messenger.SendAsync(ContactChannel.Email, "ivan@example.ru", "Второе письмо", default);

        var lines = await File.ReadAllLinesAsync(Path.Combine(_directory, "messages.jsonl"));
        lines.Length.ShouldBe(2);
        using var first = JsonDocument.Parse(lines[0]);
        first.RootElement.GetProperty("channel").GetString().ShouldBe("sms");
        first.RootElement.GetProperty("to").GetString().ShouldBe("+79123456789");
        first.RootElement.GetProperty("text").GetString().ShouldBe("Код для входа в «Моё здоровье»: 123456. Никому не сообщайте его.");
        first.RootElement.GetProperty("sentAt").GetDateTimeOffset().ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        lines[0].ShouldContain("Моё здоровье"); // readable, not \u-escaped
        JsonDocument.Parse(lines[1]).RootElement.GetProperty("channel").GetString().ShouldBe("email");
    }

    [Fact]
    public async Task Concurrent_sends_never_interleave_lines()
    {
        var messenger = Messenger(_directory);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            Task.Run(() => messenger.SendAsync(ContactChannel.Sms, "+79123456789", $"Сообщение {i} " + new string('ж', 500), default))));

        var lines = await File.ReadAllLinesAsync(Path.Combine(_directory, "messages.jsonl"));
        lines.Length.ShouldBe(200);
        lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()).Distinct().Count().ShouldBe(200);
    }

    [Fact]
    public async Task Without_a_mailbox_messages_are_dropped_with_a_warning_that_does_not_hold_the_text()
    {
        var logger = new RecordingLogger();
        var messenger = Messenger(null, logger);

        await messenger.SendAsync(ContactChannel.Sms, "+79123456789", "Код для входа в «Моё здоровье»: 654321. Никому не сообщайте его.", default);

        messenger.MailboxFile.ShouldBeNull();
        var warning = logger.Entries.ShouldHaveSingleItem();
        warning.Level.ShouldBe(LogLevel.Warning);
        warning.Message.ShouldNotContain("654321");
        warning.Message.ShouldNotContain("+79123456789");
    }

    public void Dispose()
    {
        try { Directory.Delete(Path.GetDirectoryName(_directory)!, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    private sealed class RecordingLogger : ILogger<ContactMessenger>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
