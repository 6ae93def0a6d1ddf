using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Fhir;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using MedicationDispense = Hl7.Fhir.Model.MedicationDispense;
using Gosuslugi.Health.Prescriptions.Data;
using Gosuslugi.Health.Prescriptions.Domain;
using Pharmacy = Gosuslugi.Health.Prescriptions.Domain.Pharmacy;
using Prescription = Gosuslugi.Health.Prescriptions.Domain.Prescription;
using Gosuslugi.Health.Prescriptions.Pharmacies;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gosuslugi.Health.Prescriptions.Api;

/// <summary>
/// Pharmacies (client credentials, role pharmacy): their queue, a prescription sent to them or presented by its QR code,
/// reserving and dispensing. Any other prescription answers 404, as a missing one.
/// </summary>
public static class PharmacyApi
{
    public const string Route = PatientPrescriptionsApi.Route + "/pharmacy";
    public const string ReadPurpose = "просмотр рецепта аптекой";
    public const string ScanPurpose = "проверка рецепта по QR-коду";

    public static RouteGroupBuilder MapPharmacyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Route).WithTags("Prescriptions (pharmacies)").RequireAuthorization(Policies.Pharmacy);
        api.MapGet("/queue", ListPharmacyQueue).WithName(nameof(ListPharmacyQueue));
        api.MapPost("/scan", ScanPrescription).Accepts<ScanRequest>("application/json").WithName(nameof(ScanPrescription));
        api.MapGet("/{id:guid}", GetPharmacyPrescription).WithName(nameof(GetPharmacyPrescription));
        api.MapPost("/{id:guid}/reservation", ReservePrescription).WithName(nameof(ReservePrescription));
        api.MapPost("/{id:guid}/dispenses", DispensePrescription).Accepts<DispenseRequest>("application/json")
            .WithName(nameof(DispensePrescription));
        // The same dispensing as FHIR R4: a MedicationDispense naming the prescription in authorizingPrescription.
        app.MapPost(FhirPublishingApi.FhirBase + "/MedicationDispense", DispenseFhir).WithTags("FHIR R4 (prescriptions)")
            .RequireAuthorization(Policies.Pharmacy).AcceptsFhir().WithName(nameof(DispenseFhir));
        return api;
    }

    /// <summary>
    /// A MedicationDispense (status completed) of <c>quantity.value</c> from the prescription
    /// <c>authorizingPrescription[0].reference</c> = "MedicationRequest/{id}" (the id this service gave it).
    /// </summary>
    public static async Task<Results<Created<DispenseDto>, FhirResult, ForbidHttpResult>> DispenseFhir(HttpContext http, ClaimsPrincipal user,
        [AsParameters] PrescriptionsServices services, CancellationToken ct)
    {
        if (await PharmacyOfAsync(user, services.Db, ct) is not { } pharmacy) return TypedResults.Forbid();
        var read = await FhirBody.ReadAsync<MedicationDispense>(http.Request, FhirPublishingApi.MaxBodyBytes, ct);
        if (read.Refusal is { } refusal) return refusal;
        var (dispense, issues) = (read.Resource!, read.Issues);
        if (!issues.Has("status") && dispense.Status is not MedicationDispense.MedicationDispenseStatusCodes.Completed)
            issues.Add("status", "Передаётся состоявшийся отпуск: status \"completed\".");
        var reference = dispense.AuthorizingPrescription.FirstOrDefault()?.Reference;
        Guid? id = reference is not null && reference.StartsWith("MedicationRequest/", StringComparison.Ordinal)
            && Guid.TryParse(reference["MedicationRequest/".Length..], out var parsed) ? parsed : null;
        if (id is null && !issues.Has("authorizingPrescription"))
            issues.Add("authorizingPrescription[0].reference", "Укажите рецепт: \"MedicationRequest/{идентификатор рецепта}\".");
        var quantity = issues.Has("quantity") ? null : dispense.Quantity?.Value;
        if ((quantity is null || quantity <= 0 || decimal.Round(quantity.Value, 3) != quantity) && !issues.Has("quantity"))
            issues.Add("quantity.value", "Количество — положительное число, до трёх знаков после запятой.");
        if (issues.Any) return FhirOutcomes.Refused(StatusCodes.Status422UnprocessableEntity, issues.All);

        if (await OpenToAsync(services.Db, pharmacy, id!.Value, ct) is not { } prescription)
        {
            return FhirOutcomes.Refused(StatusCodes.Status404NotFound, "MedicationDispense.authorizingPrescription[0].reference",
                "Рецепт не найден или не отправлен в эту аптеку.", OperationOutcome.IssueType.NotFound);
        }
        return await Dispensing.DispenseAsync(services.Db, http, prescription, pharmacy, quantity!.Value, services.Time.GetUtcNow(), ct) switch
        {
            DispenseOutcome.Dispensed(var done) => TypedResults.Created($"{Route}/{prescription.Id}", DispenseDto.From(done)),
            DispenseOutcome.NotDispensable(var detail) => FhirOutcomes.Refused(StatusCodes.Status409Conflict,
                "MedicationDispense.quantity.value", detail, OperationOutcome.IssueType.BusinessRule),
            _ => throw new InvalidOperationException("Unexpected dispensing outcome."),
        };
    }

    /// <summary>Prescriptions patients sent here that can still be dispensed, oldest sending first.</summary>
    public static async Task<Results<Ok<PrescriptionListResponse>, ForbidHttpResult>> ListPharmacyQueue(HttpContext http, ClaimsPrincipal user,
        [AsParameters] PrescriptionsServices services, CancellationToken ct)
    {
        if (await PharmacyOfAsync(user, services.Db, ct) is not { } pharmacy) return TypedResults.Forbid();
        var today = MoscowTime.DateOf(services.Time.GetUtcNow());
        var queue = await services.Db.Prescriptions.AsNoTracking()
            .Where(p => p.PharmacyId == pharmacy.Id && p.Status == "active" && p.ValidUntil >= today)
            .OrderBy(p => p.SentAt).ThenBy(p => p.Id).Take(200).ToListAsync(ct);
        var ciphers = await services.Keys.ForReadingAsync(queue.Select(p => p.PatientId), ct);
        foreach (var p in queue)
        {
            services.Db.AddAccessEvent(http, p.PatientId, RecordSections.Prescriptions, AccessActions.Read, ReadPurpose, p.Id);
        }
        await services.Db.SaveChangesAsync(ct);
        return TypedResults.Ok(new PrescriptionListResponse(queue.Select(p => PrescriptionResponse.From(p, ciphers[p.PatientId], today)).ToList(), null));
    }

    /// <summary>A pharmacy reads the QR code of a printed prescription: a valid reference opens it to this pharmacy.</summary>
    public static async Task<Results<Ok<PrescriptionCardResponse>, NotFound, ValidationProblem, ForbidHttpResult>> ScanPrescription(
        HttpContext http, ClaimsPrincipal user, Json<ScanRequest> body, PrescriptionReferences references,
        [AsParameters] PrescriptionsServices services, CancellationToken ct)
    {
        if (await PharmacyOfAsync(user, services.Db, ct) is not { } pharmacy) return TypedResults.Forbid();
        if (string.IsNullOrWhiteSpace(body.Value.Reference)) return Problems.Validation("reference", "Передайте содержимое QR-кода рецепта.");
        if (references.Verify(body.Value.Reference.Trim()) is not { } id) return TypedResults.NotFound();
        var prescription = await services.Db.Prescriptions.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (prescription is null) return TypedResults.NotFound();

        var now = services.Time.GetUtcNow();
        if (!await services.Db.PharmacyGrants.AnyAsync(g => g.PrescriptionId == id && g.PharmacyId == pharmacy.Id, ct))
        {
            services.Db.PharmacyGrants.Add(new PharmacyGrant { PrescriptionId = id, PharmacyId = pharmacy.Id, GrantedAt = now });
        }
        services.Db.AddAccessEvent(http, prescription.PatientId, RecordSections.Prescriptions, AccessActions.Read, ScanPurpose, id);
        try
        {
            await services.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Scanned twice at once: the grant is there either way; the access event is logged again below.
            services.Db.ChangeTracker.Clear();
            await services.Db.LogAccessAsync(http, prescription.PatientId, RecordSections.Prescriptions, AccessActions.Read, ScanPurpose, id, ct: ct);
        }
        return TypedResults.Ok(await PrescriptionCards.ReadAsync(services.Db, services.Keys, prescription, now, ct));
    }

    public static async Task<Results<Ok<PrescriptionCardResponse>, NotFound, ForbidHttpResult>> GetPharmacyPrescription(Guid id,
        HttpContext http, ClaimsPrincipal user, [AsParameters] PrescriptionsServices services, CancellationToken ct)
    {
        if (await PharmacyOfAsync(user, services.Db, ct) is not { } pharmacy) return TypedResults.Forbid();
        if (await OpenToAsync(services.Db, pharmacy, id, ct) is not { } prescription) return TypedResults.NotFound();
        await services.Db.LogAccessAsync(http, prescription.PatientId, RecordSections.Prescriptions, AccessActions.Read, ReadPurpose, id, ct: ct);
        return TypedResults.Ok(await PrescriptionCards.ReadAsync(services.Db, services.Keys, prescription, services.Time.GetUtcNow(), ct));
    }

    public static async Task<Results<Ok<PrescriptionCardResponse>, NotFound, ForbidHttpResult, ProblemHttpResult>> ReservePrescription(Guid id,
        HttpContext http, ClaimsPrincipal user, [AsParameters] PrescriptionsServices services, CancellationToken ct)
    {
        if (await PharmacyOfAsync(user, services.Db, ct) is not { } pharmacy) return TypedResults.Forbid();
        if (await OpenToAsync(services.Db, pharmacy, id, ct) is not { } prescription) return TypedResults.NotFound();
        var now = services.Time.GetUtcNow();
        if (await Dispensing.ReserveAsync(services.Db, http, prescription, pharmacy, now, ct) is { } refusal)
        {
            return PharmacySendingRules.Problem(StatusCodes.Status409Conflict, refusal, "not_reservable");
        }
        var reserved = await services.Db.Prescriptions.AsNoTracking().SingleAsync(p => p.Id == id, ct);
        return TypedResults.Ok(await PrescriptionCards.ReadAsync(services.Db, services.Keys, reserved, now, ct));
    }

    public static async Task<Results<Created<DispenseDto>, NotFound, ForbidHttpResult, ValidationProblem, ProblemHttpResult>> DispensePrescription(
        Guid id, HttpContext http, ClaimsPrincipal user, Json<DispenseRequest> body, [AsParameters] PrescriptionsServices services,
        CancellationToken ct)
    {
        if (await PharmacyOfAsync(user, services.Db, ct) is not { } pharmacy) return TypedResults.Forbid();
        if (body.Value.Quantity is not { } quantity || quantity <= 0 || decimal.Round(quantity, 3) != quantity)
        {
            return Problems.Validation("quantity", "Количество — положительное число, до трёх знаков после запятой.");
        }
        if (await OpenToAsync(services.Db, pharmacy, id, ct) is not { } prescription) return TypedResults.NotFound();
        switch (await Dispensing.DispenseAsync(services.Db, http, prescription, pharmacy, quantity, services.Time.GetUtcNow(), ct))
        {
            case DispenseOutcome.Dispensed(var dispense):
                services.Logger.LogInformation("Pharmacy {PharmacyId} dispensed {Quantity} of prescription {PrescriptionId}",
                    pharmacy.Id, quantity, id);
                return TypedResults.Created($"{Route}/{id}", DispenseDto.From(dispense));
            case DispenseOutcome.NotDispensable(var detail):
                return PharmacySendingRules.Problem(StatusCodes.Status409Conflict, detail, "not_dispensable");
            default:
                throw new InvalidOperationException("Unexpected dispensing outcome.");
        }
    }

    /// <summary>The pharmacy of the token (its org_id), if it is in the directory.</summary>
    private static Task<Pharmacy?> PharmacyOfAsync(ClaimsPrincipal user, PrescriptionsDb db, CancellationToken ct) =>
        user.GetOrganizationId() is { } id ? db.Pharmacies.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct) : Task.FromResult<Pharmacy?>(null);

    /// <summary>A prescription the patient sent to this pharmacy or whose QR code it scanned; null for any other.</summary>
    private static Task<Prescription?> OpenToAsync(PrescriptionsDb db, Pharmacy pharmacy, Guid id, CancellationToken ct) =>
        db.Prescriptions.AsNoTracking()
            .Where(p => p.Id == id && (p.PharmacyId == pharmacy.Id
                || db.PharmacyGrants.Any(g => g.PrescriptionId == p.Id && g.PharmacyId == pharmacy.Id)))
            .SingleOrDefaultAsync(ct);
}
