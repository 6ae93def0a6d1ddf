namespace Gosuslugi.Health.Identity.Accounts;

/// <summary>
/// The text of the consent to the processing of personal data (152-FZ, art. 9; special categories — health — art. 10).
/// Every edition keeps its version forever: a person's consent names the version they agreed to, and the profile shows
/// them that very text. A new edition is a new entry and a new <see cref="CurrentVersion"/>; old ones are never edited.
/// </summary>
public static class PersonalDataConsentText
{
    public const string CurrentVersion = "2026-1";

    private static readonly Dictionary<string, string> Editions = new(StringComparer.Ordinal)
    {
        ["2026-1"] = """
            Согласие на обработку персональных данных

            Я даю согласие оператору сервиса «Моё здоровье» портала государственных услуг на обработку моих персональных данных,
            в том числе специальной категории — сведений о состоянии здоровья, — в соответствии со статьями 9 и 10
            Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных».

            Цель обработки: ведение моей электронной медицинской карты, запись к врачу, получение результатов анализов,
            сведений о прививках, рецептах, направлениях и листках нетрудоспособности, а также уведомлений о них.

            Состав данных: фамилия, имя, отчество, дата рождения, номер телефона, адрес электронной почты, СНИЛС,
            реквизиты паспорта и полиса ОМС, сведения о состоянии здоровья, об обращениях в медицинские организации
            и об оказанной медицинской помощи.

            Действия с данными: сбор, запись, систематизация, накопление, хранение, уточнение, использование,
            передача медицинским организациям, участвующим в моём лечении, обезличивание, блокирование, удаление,
            уничтожение — с использованием средств автоматизации и без них.

            Срок действия: до отзыва согласия. Я могу отозвать согласие в любой момент в личном кабинете. После отзыва
            доступ к медицинским данным в сервисе прекращается, а данные хранятся только в сроки, установленные
            законодательством Российской Федерации об охране здоровья и об архивном деле.
            """,
    };

    public static string Current => Editions[CurrentVersion];

    /// <summary>The text of an edition, or null for a version that never existed.</summary>
    public static string? Of(string version) => Editions.GetValueOrDefault(version);
}
