using System.Security.Claims;
using Gosuslugi.Health.Appointments.Schedules;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Appointments.Api;

/// <summary>Free slots a patient may book, earliest first, a page at a time.</summary>
public static class SlotSearchApi
{
    public static RouteGroupBuilder MapSlotSearchApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/appointments").WithTags("Slots").RequireAuthorization();
        api.MapGet("/slots", SearchSlots).WithName(nameof(SearchSlots));
        return api;
    }

    /// <summary>See <see cref="SlotSearch.SearchAsync"/>.</summary>
    public static async Task<Results<Ok<SlotSearchResponse>, ValidationProblem, ProblemHttpResult>> SearchSlots(
        [AsParameters] SlotSearchQuery query, ClaimsPrincipal user, SlotSearch search, CancellationToken ct)
    {
        // Slots are not a patient's data, but the search is the first step of booking, which only a patient (or a
        // representative allowed to manage appointments) does.
        if (!user.CanManageAppointments())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Доступ запрещён",
                detail: "Искать свободное время для записи к врачу может пациент или его представитель с правом записи.");
        }

        if (SlotSearchFilter.Parse(query, out var errors) is not { } filter)
        {
            return Problems.Validation(errors);
        }

        return TypedResults.Ok(await search.SearchAsync(user.GetSubjectId(), filter, ct));
    }
}
