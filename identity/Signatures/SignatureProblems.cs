using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Identity.Signatures;

/// <summary>RFC 9457 problems of the signature APIs: a machine-readable <c>reason</c> and a Russian detail that says what to do.</summary>
public static class SignatureProblems
{
    public const string NotFoundDetail = "Сертификат не найден.";
    public const string LocalCaDisabledDetail = "Выпуск сертификатов отключён: сертификаты выдаёт аккредитованный удостоверяющий центр.";

    /// <summary>What the person or the calling service should know about a refused signature or certificate.</summary>
    public static string Detail(SignatureFailure failure) => failure switch
    {
        SignatureFailure.Malformed =>
            "Подпись не удалось прочитать: нужна отсоединённая подпись CMS (PKCS#7) с сертификатом подписанта, в кодировке base64. " +
            "Сформируйте подпись заново средством электронной подписи.",
        SignatureFailure.BadSignature =>
            "Подпись не соответствует данным: данные изменены после подписания или подпись сделана для других данных. " +
            "Запросите у подписанта подлинные данные и подпись заново.",
        SignatureFailure.NotYetValid =>
            "Сертификат электронной подписи ещё не начал действовать. Используйте его после даты начала действия или возьмите действующий сертификат.",
        SignatureFailure.Expired =>
            "Срок действия сертификата электронной подписи истёк. Получите новый сертификат в удостоверяющем центре.",
        SignatureFailure.Untrusted =>
            "Сертификат выдан удостоверяющим центром, которому портал не доверяет, или не предназначен для подписи. " +
            "Используйте сертификат квалифицированной электронной подписи аккредитованного удостоверяющего центра.",
        SignatureFailure.Revoked =>
            "Сертификат электронной подписи отозван удостоверяющим центром. Получите новый сертификат в удостоверяющем центре.",
        SignatureFailure.RevocationUnknown =>
            "Не удалось проверить, не отозван ли сертификат: список отозванных сертификатов недоступен. Повторите попытку позже.",
        _ => "Подпись не прошла проверку.",
    };

    public const string ChallengeExpiredDetail =
        "Запрос на вход по электронной подписи устарел или уже использован. Начните вход по электронной подписи заново.";

    public const string NotLinkedDetail =
        "Этот сертификат не привязан ни к одной учётной записи. Войдите по логину и паролю и привяжите сертификат в профиле.";

    public const string SnilsMismatchDetail =
        "СНИЛС в сертификате не совпадает со СНИЛС учётной записи. Привяжите свой сертификат, выданный на ваш СНИЛС.";

    public const string NoSnilsDetail = "В учётной записи не указан СНИЛС. Укажите и подтвердите СНИЛС в профиле, затем привяжите сертификат.";

    public const string AlreadyLinkedDetail = "Этот сертификат уже привязан к учётной записи. Чтобы привязать его заново, сначала отвяжите его.";

    /// <summary>422: the request was understood, the signature or certificate was refused.</summary>
    public static ProblemHttpResult Refused(SignatureCheck check) => Problem(StatusCodes.Status422UnprocessableEntity, check.Reason, Detail(check.Failure));

    public static ProblemHttpResult Problem(int status, string reason, string detail) =>
        TypedResults.Problem(statusCode: status, detail: detail, extensions: new Dictionary<string, object?> { ["reason"] = reason });

    public static ProblemHttpResult NotFound() => Problem(StatusCodes.Status404NotFound, "not_found", NotFoundDetail);
}
