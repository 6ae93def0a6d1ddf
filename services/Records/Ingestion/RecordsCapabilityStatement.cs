using Gosuslugi.Health.Fhir;
using Hl7.Fhir.Model;

namespace Gosuslugi.Health.Records.Ingestion;

/// <summary>What GET /fhir/R4/metadata tells organizations' systems: the resources they may send, and how.</summary>
public static class RecordsCapabilityStatement
{
    /// <summary>When the profile (README, "Publishing records") last changed.</summary>
    public static readonly DateTimeOffset ProfileDate = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    private const string Profile = " Профиль: README, «Публикация записей (FHIR R4)»; пациент — subject.identifier по СНИЛС ("
        + FhirProfile.SnilsSystem + "), идентификатор записи организации — identifier[0].value. Повторная отправка того же "
        + "содержимого ничего не меняет; другое содержимое — исправление (новая версия) с причиной в расширении "
        + FhirProfile.CorrectionReasonExtension + ". Организация читает переданное: GET /api/v1/records/fhir/{тип}/{идентификатор}.";

    private static readonly CapabilityStatement.TypeRestfulInteraction[] Create = [CapabilityStatement.TypeRestfulInteraction.Create];

    public static CapabilityStatement Instance { get; } = FhirCapabilities.Build(
        "«Моё здоровье»: приём медицинских записей от медицинских организаций", ProfileDate,
        [
            new(ResourceType.Encounter, Create, "Визит; диагнозы — вложенные Condition с кодом МКБ-10 (" + FhirProfile.Icd10System + ")." + Profile),
            new(ResourceType.DiagnosticReport, Create, "Результат исследования (категория v2-0074, LAB — лабораторный); значения — вложенные Observation, PDF в presentedForm." + Profile),
            new(ResourceType.Composition, Create, "Протокол осмотра (LOINC 11488-4) или выписной эпикриз (18842-5); разделы в section, диагнозы — вложенные Condition." + Profile),
            new(ResourceType.CarePlan, Create, "Диспансеризация или профилактический осмотр (" + FhirProfile.PreventiveProgramSystem + "); этапы — activity." + Profile),
        ],
        transactions: true,
        security: "OAuth 2.0: токен клиента медицинской организации (client credentials, роль medical_organization, область health.publish). "
            + "Bundle типа transaction (POST /fhir/R4) сохраняется целиком или не сохраняется вовсе.");
}
