using System.Security.Claims;
using Gosuslugi.Health.Appointments.ReferenceData;
using Gosuslugi.Health.Appointments.Schedules;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Appointments.Api;

/// <summary>What a medical organization publishes about itself: its profile, departments, doctors and their schedules.</summary>
public static class OrganizationReferenceApi
{
    public const string OrganizationRoute = "/api/v1/appointments/org";

    public static RouteGroupBuilder MapOrganizationReferenceApi(this IEndpointRouteBuilder app)
    {
        var org = app.MapGroup(OrganizationRoute).WithTags("Organization reference data")
            .RequireAuthorization(Policies.MedicalOrganization);
        org.MapPut("/profile", PutOrganizationProfile).Accepts<OrganizationProfileRequest>("application/json")
            .WithName(nameof(PutOrganizationProfile));
        org.MapPut("/departments/{externalId}", PutDepartment).Accepts<DepartmentRequest>("application/json")
            .WithName(nameof(PutDepartment));
        org.MapPut("/doctors/{externalId}", PutDoctor).Accepts<DoctorRequest>("application/json").WithName(nameof(PutDoctor));
        org.MapPost("/doctors/{externalId}/schedule", PostDoctorSchedule).Accepts<ScheduleRequest>("application/json")
            .WithName(nameof(PostDoctorSchedule));
        return org;
    }

    public static async Task<Results<Ok<OrganizationResponse>, ValidationProblem, ProblemHttpResult>> PutOrganizationProfile(
        Json<OrganizationProfileRequest> body, ClaimsPrincipal user, OrganizationReferenceData referenceData, CancellationToken ct) =>
        Answer(await referenceData.PutProfileAsync(user.GetOrganizationId()!.Value, body.Value, ct));

    public static async Task<Results<Ok<DepartmentResponse>, ValidationProblem, ProblemHttpResult>> PutDepartment(
        string externalId, Json<DepartmentRequest> body, ClaimsPrincipal user, OrganizationReferenceData referenceData,
        CancellationToken ct) =>
        Answer(await referenceData.PutDepartmentAsync(user.GetOrganizationId()!.Value, externalId, body.Value, ct));

    public static async Task<Results<Ok<DoctorResponse>, ValidationProblem, ProblemHttpResult>> PutDoctor(
        string externalId, Json<DoctorRequest> body, ClaimsPrincipal user, OrganizationReferenceData referenceData,
        CancellationToken ct) =>
        Answer(await referenceData.PutDoctorAsync(user.GetOrganizationId()!.Value, externalId, body.Value, ct));

    public static async Task<Results<Ok<ScheduleResponse>, ValidationProblem, ProblemHttpResult>> PostDoctorSchedule(
        string externalId, Json<ScheduleRequest> body, ClaimsPrincipal user, DoctorSchedules schedules, CancellationToken ct) =>
        Answer(await schedules.PublishAsync(user.GetOrganizationId()!.Value, externalId, body.Value, ct));

    private static Results<Ok<T>, ValidationProblem, ProblemHttpResult> Answer<T>(ReferenceDataResult<T> result) where T : class =>
        result switch
        {
            { Outcome: ReferenceDataOutcome.Saved, Value: { } value } => TypedResults.Ok(value),
            { Outcome: ReferenceDataOutcome.ProfileMissing } => AppointmentProblems.WithReason(
                StatusCodes.Status422UnprocessableEntity, "Данные не приняты",
                "Сначала передайте профиль организации (PUT /api/v1/appointments/org/profile): без него пациенты не увидят её отделения и врачей.",
                "organization_profile_missing"),
            { Outcome: ReferenceDataOutcome.DoctorNotFound } => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
                title: "Врач не найден", detail: "Врач с таким идентификатором не найден: сначала передайте сведения о враче."),
            { Outcome: ReferenceDataOutcome.DoctorInactive } => AppointmentProblems.WithReason(
                StatusCodes.Status422UnprocessableEntity, "Расписание не принято",
                "Врач выведен из расписания организации: новые слоты для него не создаются.", "doctor_inactive"),
            _ => Problems.Validation(result.Errors!),
        };
}
