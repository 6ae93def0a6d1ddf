using Gosuslugi.Health.Identity.Security;

namespace Gosuslugi.Health.Identity.Accounts;

/// <summary>What a person reads when a one-time code is not accepted.</summary>
public static class CodeMessages
{
    public static string Of(CodeCheckResult result) => result switch
    {
        CodeCheckResult.Expired => "Срок действия кода истёк. Запросите новый код.",
        CodeCheckResult.AlreadyUsed => "Этот код уже использован. Запросите новый код.",
        CodeCheckResult.TooManyAttempts => "Слишком много неверных попыток: код больше не действует. Запросите новый код.",
        _ => "Неверный код. Проверьте его и введите ещё раз.",
    };

    public const string Missing = "Введите код из сообщения.";
}
