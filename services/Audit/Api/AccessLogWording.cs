using System.Globalization;
using Gosuslugi.Health.Audit.Domain;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Audit.Api;

/// <summary>How an access log entry reads to the patient: roles, services, sections, actions and times in Russian.</summary>
public static class AccessLogWording
{
    /// <summary>Section of the access events that Audit itself logs (a representative reading the log).</summary>
    public const string AccessLogSection = "access_log";

    private static readonly Dictionary<string, string> Roles = new(StringComparer.Ordinal)
    {
        [AccessActorRoles.Representative] = "Ваш представитель",
        [AccessActorRoles.Doctor] = "Врач",
        [AccessActorRoles.MedicalOrganization] = "Медицинская организация",
        [AccessActorRoles.Pharmacy] = "Аптека",
        [AccessActorRoles.Admin] = "Администратор",
        [AccessActorRoles.Patient] = "Пациент",
    };

    private static readonly Dictionary<string, string> Services = new(StringComparer.Ordinal)
    {
        ["records"] = "Медицинская карта",
        ["immunizations"] = "Прививки",
        ["prescriptions"] = "Рецепты",
        ["sickleave"] = "Больничные листы",
        ["appointments"] = "Запись к врачу",
        ["disputes"] = "Запросы и исправления данных",
        ["notifications"] = "Уведомления",
        ["identity"] = "Учётная запись",
        ["audit"] = "Журнал доступа",
    };

    private static readonly Dictionary<string, string> Sections = new(StringComparer.Ordinal)
    {
        [RecordSections.Visits] = "Приёмы и обращения",
        [RecordSections.LabResults] = "Результаты анализов",
        [RecordSections.Prescriptions] = "Рецепты",
        [RecordSections.Immunizations] = "Прививки",
        [RecordSections.Psychiatry] = "Психиатрия",
        [RecordSections.Narcology] = "Наркология",
        [RecordSections.Venereology] = "Венерология",
        [RecordSections.Hiv] = "ВИЧ-инфекция",
        [RecordSections.Reproductive] = "Репродуктивное здоровье",
        ["history"] = "История обращений",
        ["exports"] = "Выгрузка медицинской карты",
        ["data_requests"] = "Запросы недостающих данных",
        ["analytes"] = "Показатели анализов",
        ["thresholds"] = "Пороги показателей",
        ["sick_leave"] = "Больничные листы",
        ["appointments"] = "Записи к врачу",
        [AccessLogSection] = "Журнал доступа к медицинской карте",
    };

    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        [AccessActions.Read] = "Просмотр",
        [AccessActions.Export] = "Выгрузка",
        [AccessActions.Create] = "Добавление сведений",
        [AccessActions.Change] = "Изменение сведений",
    };

    private static readonly Dictionary<string, string> Outcomes = new(StringComparer.Ordinal)
    {
        [AccessOutcomes.Allowed] = "Доступ предоставлен",
        [AccessOutcomes.Refused] = "В доступе отказано",
    };

    /// <summary>"Вы" for the patient's own access, else the actor's role.</summary>
    public static string Who(AccessEventEntry e) =>
        e.ActorRole == AccessActorRoles.Patient && e.ActorId == e.PatientId ? "Вы" : Word(Roles, e.ActorRole);

    public static string Service(string service) => Word(Services, service);
    public static string Section(string section) => Word(Sections, section);
    public static string Action(string action) => Word(Actions, action);
    public static string Outcome(string outcome) => Word(Outcomes, outcome);

    public static DateTimeOffset InMoscow(DateTimeOffset t) => MoscowTime.Of(t);

    /// <summary>"22.11.2026 13:05 (МСК)".</summary>
    public static string MoscowText(DateTimeOffset t) =>
        InMoscow(t).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture) + " (МСК)";

    // An unknown code (a newer service's) is shown as it is rather than hidden.
    private static string Word(Dictionary<string, string> words, string code) => words.GetValueOrDefault(code, code);
}
