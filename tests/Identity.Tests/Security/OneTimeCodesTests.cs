using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gosuslugi.Health.Identity.Tests.Security;

/// <summary>
/// One-time codes in the running service against its real PostgreSQL and Redis. The service's own
/// <see cref="OneTimeCodes"/> is built from its container with a clock the test moves and a mailbox
/// of the test's own; codes are read from the mailbox as a person reads their SMS.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed partial class OneTimeCodesTests(IdentityServiceFixture fixture) : IAsyncLifetime
{
    private readonly string _mailbox = Path.Combine(Path.GetTempPath(), "otc-tests-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new();
    private AsyncServiceScope _scope;
    private ContactMessenger _messenger = null!;

    public Task InitializeAsync()
    {
        _scope = fixture.Factory.Services.CreateAsyncScope();
        _messenger = new ContactMessenger(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [ContactMessenger.MailboxDirectoryKey] = _mailbox }).Build(),
            _clock, NullLogger<ContactMessenger>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _scope.DisposeAsync();
        try { Directory.Delete(_mailbox, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    private OneTimeCodes Codes(OneTimeCodeLimits? limits = null) =>
        ActivatorUtilities.CreateInstance<OneTimeCodes>(_scope.ServiceProvider, _clock, _messenger, limits ?? OneTimeCodeLimits.Default);

    private static string NewPhone() => "+79" + RandomNumberGenerator.GetInt32(0, 1_000_000_000).ToString("D9");

    /// <summary>The code in the newest message to <paramref name="destination"/>: the first run of 6 digits.</summary>
    private string LatestCodeTo(string destination) => SixDigits().Match(LatestMessageTo(destination)).Value;

    private string LatestMessageTo(string destination) =>
        File.ReadAllLines(Path.Combine(_mailbox, ContactMessenger.MailboxFileName))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Last(m => m.GetProperty("to").GetString() == destination)
            .GetProperty("text").GetString()!;

    private int MessagesTo(string destination) =>
        !File.Exists(Path.Combine(_mailbox, ContactMessenger.MailboxFileName)) ? 0 :
        File.ReadAllLines(Path.Combine(_mailbox, ContactMessenger.MailboxFileName)).Count(l => JsonDocument.Parse(l).RootElement.GetProperty("to").GetString() == destination);

    [GeneratedRegex(@"\d{6}")]
    private static partial Regex SixDigits();

    private static string Wrong(string code) => ((int.Parse(code) + 1) % 1_000_000).ToString("D6");

    [Fact]
    public async Task A_code_is_accepted_once_and_then_is_already_used()
    {
        var codes = Codes();
        var flow = Guid.CreateVersion7();
        var phone = NewPhone();

        var sent = await codes.SendAsync(OneTimeCodePurpose.SignIn, flow, null, ContactChannel.Sms, phone, default);
        var code = LatestCodeTo(phone);

        sent.IsSent.ShouldBeTrue();
        sent.ExpiresAt.ShouldBe(_clock.GetUtcNow() + TimeSpan.FromMinutes(5));
        LatestMessageTo(phone).ShouldBe($"Код для входа в «Моё здоровье»: {code}. Никому не сообщайте его.");
        (await codes.VerifyAsync(OneTimeCodePurpose.SignIn, flow, ContactChannel.Sms, code, default)).ShouldBe(CodeCheckResult.Valid);
        (await codes.VerifyAsync(OneTimeCodePurpose.SignIn, flow, ContactChannel.Sms, code, default)).ShouldBe(CodeCheckResult.AlreadyUsed);
    }

    [Fact]
    public async Task Destinations_as_typed_are_normalized_for_sending()
    {
        var codes = Codes();
        var phone = NewPhone();
        var typed = $"8 ({phone[2..5]}) {phone[5..8]}-{phone[8..10]}-{phone[10..]}";

        (await codes.SendAsync(OneTimeCodePurpose.Registration, Guid.CreateVersion7(), null, ContactChannel.Sms, typed, default)).IsSent.ShouldBeTrue();

        LatestMessageTo(phone).ShouldStartWith("Код для регистрации в «Моё здоровье»: ");
    }

    [Fact]
    public async Task A_code_after_its_five_minutes_is_expired()
    {
        var codes = Codes();
        var (early, late) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var (phone1, phone2) = (NewPhone(), NewPhone());
        await codes.SendAsync(OneTimeCodePurpose.SignIn, early, null, ContactChannel.Sms, phone1, default);
        await codes.SendAsync(OneTimeCodePurpose.SignIn, late, null, ContactChannel.Sms, phone2, default);

        _clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        (await codes.VerifyAsync(OneTimeCodePurpose.SignIn, early, ContactChannel.Sms, LatestCodeTo(phone1), default)).ShouldBe(CodeCheckResult.Valid);

        _clock.Advance(TimeSpan.FromSeconds(1));
        (await codes.VerifyAsync(OneTimeCodePurpose.SignIn, late, ContactChannel.Sms, LatestCodeTo(phone2), default)).ShouldBe(CodeCheckResult.Expired);
    }

    [Fact]
    public async Task Five_wrong_attempts_burn_the_code()
    {
        var codes = Codes();
        var flow = Guid.CreateVersion7();
        var email = $"otc-{Guid.NewGuid():N}@example.ru";
        await codes.SendAsync(OneTimeCodePurpose.Recovery, flow, null, ContactChannel.Email, email, default);
        var code = LatestCodeTo(email);

        for (var i = 1; i <= 4; i++)
            (await codes.VerifyAsync(OneTimeCodePurpose.Recovery, flow, ContactChannel.Email, Wrong(code), default)).ShouldBe(CodeCheckResult.Invalid, $"attempt {i}");
        (await codes.VerifyAsync(OneTimeCodePurpose.Recovery, flow, ContactChannel.Email, Wrong(code), default)).ShouldBe(CodeCheckResult.TooManyAttempts);

        (await codes.VerifyAsync(OneTimeCodePurpose.Recovery, flow, ContactChannel.Email, code, default)).ShouldBe(CodeCheckResult.TooManyAttempts);
    }

    [Fact]
    public async Task Four_wrong_attempts_leave_the_right_code_working()
    {
        var codes = Codes();
        var flow = Guid.CreateVersion7();
        var phone = NewPhone();
        await codes.SendAsync(OneTimeCodePurpose.SignIn, flow, null, ContactChannel.Sms, phone, default);
        var code = LatestCodeTo(phone);

        for (var i = 0; i < 4; i++)
            (await codes.VerifyAsync(OneTimeCodePurpose.SignIn, flow, ContactChannel.Sms, i % 2 == 0 ? Wrong(code) : "12ab", default)).ShouldBe(CodeCheckResult.Invalid);

        (await codes.VerifyAsync(OneTimeCodePurpose.SignIn, flow, ContactChannel.Sms, code, default)).ShouldBe(CodeCheckResult.Valid);
    }

    [Fact]
    public async Task Many_guesses_at_once_compare_at_most_five()
    {
        var codes = Codes();
        var flow = Guid.CreateVersion7();
        var phone = NewPhone();
        await codes.SendAsync(OneTimeCodePurpose.SignIn, flow, null, ContactChannel.Sms, phone, default);
        var code = LatestCodeTo(phone);

        // Each guess on its own scope (its own DbContext), as concurrent requests would be.
        var results = await Task.WhenAll(Enumerable.Range(1, 30).Select(async i =>
        {
            await using var scope = fixture.Factory.Services.CreateAsyncScope();
            var parallel = ActivatorUtilities.CreateInstance<OneTimeCodes>(scope.ServiceProvider, _clock, _messenger, OneTimeCodeLimits.Default);
            return await parallel.VerifyAsync(OneTimeCodePurpose.SignIn, flow, ContactChannel.Sms, ((int.Parse(code) + i) % 1_000_000).ToString("D6"), default);
        }));

        results.Count(r => r == CodeCheckResult.Invalid).ShouldBeLessThanOrEqualTo(5);
        results.Count(r => r is CodeCheckResult.Invalid or CodeCheckResult.TooManyAttempts).ShouldBe(30);
        (await fixture.WithDbAsync(db => db.OneTimeCodes.Where(c => c.FlowId == flow).Select(c => c.FailedAttempts).SingleAsync())).ShouldBe(5);
        (await codes.VerifyAsync(OneTimeCodePurpose.SignIn, flow, ContactChannel.Sms, code, default)).ShouldBe(CodeCheckResult.TooManyAttempts);
    }

    [Fact]
    public async Task The_right_code_checked_concurrently_is_accepted_exactly_once()
    {
        var codes = Codes();
        var flow = Guid.CreateVersion7();
        var phone = NewPhone();
        await codes.SendAsync(OneTimeCodePurpose.SignIn, flow, null, ContactChannel.Sms, phone, default);
        var code = LatestCodeTo(phone);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var scope = fixture.Factory.Services.CreateAsyncScope();
            var parallel = ActivatorUtilities.CreateInstance<OneTimeCodes>(scope.ServiceProvider, _clock, _messenger, OneTimeCodeLimits.Default);
            return await parallel.VerifyAsync(OneTimeCodePurpose.SignIn, flow, ContactChannel.Sms, code, default);
        }));

        results.Count(r => r == CodeCheckResult.Valid).ShouldBe(1);
        results.Count(r => r == CodeCheckResult.AlreadyUsed).ShouldBe(3);
    }

    [Fact]
    public async Task A_second_code_within_a_minute_is_throttled_and_not_sent()
    {
        var codes = Codes();
        var phone = NewPhone();

        (await codes.SendAsync(OneTimeCodePurpose.SignIn, Guid.CreateVersion7(), null, ContactChannel.Sms, phone, default)).IsSent.ShouldBeTrue();
        // Another flow, same phone: the throttle is per destination.
        var second = await codes.SendAsync(OneTimeCodePurpose.Registration, Guid.CreateVersion7(), null, ContactChannel.Sms, phone, default);

        second.Throttled.ShouldBeTrue();
        second.RetryAfter.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        MessagesTo(phone).ShouldBe(1);
    }

    [Fact]
    public async Task At_most_five_codes_an_hour_go_to_one_destination()
    {
        var codes = Codes(OneTimeCodeLimits.Default with { ResendInterval = TimeSpan.FromMilliseconds(100) });
        var email = $"otc-{Guid.NewGuid():N}@example.ru";

        for (var i = 0; i < 5; i++)
        {
            (await codes.SendAsync(OneTimeCodePurpose.SignIn, Guid.CreateVersion7(), null, ContactChannel.Email, email, default)).IsSent.ShouldBeTrue($"code {i + 1}");
            await Task.Delay(150);
        }
        var sixth = await codes.SendAsync(OneTimeCodePurpose.SignIn, Guid.CreateVersion7(), null, ContactChannel.Email, email, default);

        sixth.Throttled.ShouldBeTrue();
        sixth.RetryAfter.ShouldBeInRange(TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        MessagesTo(email).ShouldBe(5);
    }

    [Fact]
    public async Task A_new_code_for_the_flow_replaces_the_older_one()
    {
        var codes = Codes(OneTimeCodeLimits.Default with { ResendInterval = TimeSpan.FromMilliseconds(100) });
        var flow = Guid.CreateVersion7();
        var phone = NewPhone();
        await codes.SendAsync(OneTimeCodePurpose.SignIn, flow, null, ContactChannel.Sms, phone, default);
        var first = LatestCodeTo(phone);
        await Task.Delay(150);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await codes.SendAsync(OneTimeCodePurpose.SignIn, flow, null, ContactChannel.Sms, phone, default);
        var second = LatestCodeTo(phone);
        if (first == second) return; // one chance in a million: nothing to tell apart

        (await codes.VerifyAsync(OneTimeCodePurpose.SignIn, flow, ContactChannel.Sms, first, default)).ShouldBe(CodeCheckResult.Invalid);
        (await codes.VerifyAsync(OneTimeCodePurpose.SignIn, flow, ContactChannel.Sms, second, default)).ShouldBe(CodeCheckResult.Valid);
        var older = await fixture.WithDbAsync(db => db.OneTimeCodes.Where(c => c.FlowId == flow).OrderBy(c => c.CreatedAt).FirstAsync());
        older.ExpiresAt.ShouldBeLessThanOrEqualTo(_clock.GetUtcNow());
    }

    [Fact]
    public async Task A_code_of_another_flow_purpose_or_channel_is_rejected()
    {
        var codes = Codes();
        var (flow, otherFlow) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var (phone, otherPhone) = (NewPhone(), NewPhone());
        await codes.SendAsync(OneTimeCodePurpose.SignIn, flow, null, ContactChannel.Sms, phone, default);
        await codes.SendAsync(OneTimeCodePurpose.SignIn, otherFlow, null, ContactChannel.Sms, otherPhone, default);
        var code = LatestCodeTo(phone);
        if (code == LatestCodeTo(otherPhone)) return; // one chance in a million

        (await codes.VerifyAsync(OneTimeCodePurpose.SignIn, otherFlow, ContactChannel.Sms, code, default)).ShouldBe(CodeCheckResult.Invalid);
        (await codes.VerifyAsync(OneTimeCodePurpose.Recovery, flow, ContactChannel.Sms, code, default)).ShouldBe(CodeCheckResult.Invalid);
        (await codes.VerifyAsync(OneTimeCodePurpose.SignIn, flow, ContactChannel.Email, code, default)).ShouldBe(CodeCheckResult.Invalid);
        (await codes.VerifyAsync(OneTimeCodePurpose.SignIn, Guid.CreateVersion7(), ContactChannel.Sms, code, default)).ShouldBe(CodeCheckResult.Invalid);

        (await codes.VerifyAsync(OneTimeCodePurpose.SignIn, flow, ContactChannel.Sms, code, default)).ShouldBe(CodeCheckResult.Valid);
    }

    [Fact]
    public async Task Only_a_keyed_hash_of_the_code_is_stored()
    {
        var codes = Codes();
        var flow = Guid.CreateVersion7();
        var phone = NewPhone();
        var userId = Guid.CreateVersion7();
        await codes.SendAsync(OneTimeCodePurpose.SignIn, flow, userId, ContactChannel.Sms, phone, default);
        var code = LatestCodeTo(phone);

        var stored = await fixture.WithDbAsync(db => db.OneTimeCodes.SingleAsync(c => c.FlowId == flow));

        stored.UserId.ShouldBe(userId);
        stored.Destination.ShouldBe(phone);
        stored.CodeHash.Length.ShouldBe(64);
        stored.CodeHash.ShouldNotContain(code);
        // Without the server key, hashing all million codes the obvious ways finds nothing.
        var unkeyed = new[] { code, $"{stored.Id:N}:{code}" }.Select(s => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s))));
        unkeyed.ShouldNotContain(stored.CodeHash);
    }

    [Fact]
    public async Task The_service_registers_one_time_codes_with_its_redis()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var codes = scope.ServiceProvider.GetRequiredService<OneTimeCodes>();
        var flow = Guid.CreateVersion7();

        (await codes.SendAsync(OneTimeCodePurpose.SignIn, flow, null, ContactChannel.Sms, NewPhone(), default)).IsSent.ShouldBeTrue();
        (await codes.VerifyAsync(OneTimeCodePurpose.SignIn, flow, ContactChannel.Sms, "not-a-code", default)).ShouldBe(CodeCheckResult.Invalid);
    }

    [Fact]
    public void Every_purpose_has_its_own_russian_text_with_the_code_first()
    {
        foreach (var purpose in Enum.GetValues<OneTimeCodePurpose>())
        foreach (var channel in Enum.GetValues<ContactChannel>())
        {
            var text = OneTimeCodes.MessageText(purpose, channel, "042137");
            SixDigits().Match(text).Value.ShouldBe("042137");
            text.ShouldContain("«Моё здоровье»");
            text.ShouldContain("Никому не сообщайте");
        }
    }
}
