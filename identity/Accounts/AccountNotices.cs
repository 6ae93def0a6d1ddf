using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.ServiceDefaults.Caching;

namespace Gosuslugi.Health.Identity.Accounts;

public enum NoticeResult { Sent, Throttled }

/// <summary>
/// Messages about an account that carry no code: "you already have an account", "your phone number was changed",
/// "your password was changed". Texts are Russian, short enough for one SMS where that matters, and never name the
/// new contact in full.
/// </summary>
public sealed class AccountNotices(ContactMessenger messenger, IKeyValueStore store)
{
    /// <summary>The same pause as between two codes to one destination, so that a notice cannot be told from a code by its throttling.</summary>
    public static readonly TimeSpan ResendInterval = TimeSpan.FromSeconds(60);

    public const string Signature = "Госуслуги.Здоровье";

    public static string AlreadyRegistered(ContactChannel channel) => channel == ContactChannel.Sms
        ? $"{Signature}: с этим номером пытались зарегистрироваться. У вас уже есть учётная запись — войдите или восстановите пароль. Если это были не вы, ничего не делайте."
        : $"{Signature}: с этим адресом пытались зарегистрироваться. У вас уже есть учётная запись — войдите или восстановите пароль. Если это были не вы, ничего не делайте.";

    public static string ClaimedByAnotherAccount(ContactChannel channel) => channel == ContactChannel.Sms
        ? $"{Signature}: этот номер пытались указать в другой учётной записи. Он уже привязан к вашей; если это были вы, сначала смените номер в ней."
        : $"{Signature}: этот адрес пытались указать в другой учётной записи. Он уже привязан к вашей; если это были вы, сначала смените адрес в ней.";

    public static string ContactChanged(ContactChannel channel, string newMasked) => channel == ContactChannel.Sms
        ? $"{Signature}: номер телефона вашей учётной записи изменён на {newMasked}. Если это были не вы, восстановите доступ и обратитесь в поддержку."
        : $"{Signature}: адрес электронной почты вашей учётной записи изменён на {newMasked}. Если это были не вы, восстановите доступ и обратитесь в поддержку.";

    public const string PasswordChanged =
        Signature + ": пароль вашей учётной записи изменён, другие сеансы завершены. Если это были не вы, восстановите доступ и обратитесь в поддержку.";

    public const string PasswordRecovered =
        Signature + ": пароль вашей учётной записи восстановлен, все сеансы завершены. Если это были не вы, обратитесь в поддержку.";

    public const string RecoveryNeedsServiceCentre =
        Signature + ": для восстановления пароля нужны два способа подтверждения (телефон и почта или приложение-аутентификатор). " +
        "Обратитесь в центр обслуживания с паспортом.";

    public const string ConsentWithdrawn =
        Signature + ": вы отозвали согласие на обработку персональных данных. Доступ к медицинским данным закрыт, все сеансы завершены.";

    /// <summary>Sends at once (for notices that follow a change the person made).</summary>
    public Task SendAsync(ContactChannel channel, string destination, string text, CancellationToken ct) =>
        messenger.SendAsync(channel, destination, text, ct);

    /// <summary>Sends unless a notice went to the destination within <see cref="ResendInterval"/> (for notices anyone can trigger).</summary>
    public async Task<(NoticeResult Result, TimeSpan RetryAfter)> SendThrottledAsync(ContactChannel channel, string destination, string text,
        CancellationToken ct)
    {
        var key = "account:notice:" + destination;
        if (!await store.SetIfAbsentAsync(key, "1", ResendInterval, ct))
            return (NoticeResult.Throttled, await store.GetTimeToLiveAsync(key, ct) ?? ResendInterval);
        await messenger.SendAsync(channel, destination, text, ct);
        return (NoticeResult.Sent, TimeSpan.Zero);
    }

    public static string Mask(ContactChannel channel, string destination) =>
        channel == ContactChannel.Sms ? PhoneNumbers.Mask(destination) : EmailAddresses.Mask(destination);
}
