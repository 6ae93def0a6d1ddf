using Gosuslugi.Health.Appointments.ReferenceData;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Appointments.Api;

/// <summary>The catalog patients choose from. Anyone signed in may read it: no patient's data, so no access events.</summary>
public static class ReferenceCatalogApi
{
    public const string CatalogRoute = "/api/v1/appointments";

    public static RouteGroupBuilder MapReferenceCatalogApi(this IEndpointRouteBuilder app)
    {
        var catalog = app.MapGroup(CatalogRoute).WithTags("Reference data").RequireAuthorization();
        catalog.MapGet("/specialties", ListSpecialties).WithName(nameof(ListSpecialties));
        catalog.MapGet("/organizations", SearchOrganizations).WithName(nameof(SearchOrganizations));
        catalog.MapGet("/organizations/{id:guid}", GetOrganization).WithName(nameof(GetOrganization));
        return catalog;
    }

    public static Ok<SpecialtyListResponse> ListSpecialties() => TypedResults.Ok(ReferenceCatalog.SpecialtyList);

    public static async Task<Results<Ok<OrganizationListResponse>, ValidationProblem>> SearchOrganizations(
        string? q, ReferenceCatalog catalog, CancellationToken ct)
    {
        var text = q?.Trim();
        if (text is { Length: > 200 })
        {
            return Problems.Validation("q", "Строка поиска — не длиннее 200 символов.");
        }

        return TypedResults.Ok(new OrganizationListResponse(await catalog.SearchOrganizationsAsync(text, ct)));
    }

    public static async Task<Results<Ok<OrganizationDetailsResponse>, NotFound>> GetOrganization(
        Guid id, ReferenceCatalog catalog, CancellationToken ct) =>
        await catalog.GetOrganizationAsync(id, ct) is { } organization ? TypedResults.Ok(organization) : TypedResults.NotFound();
}
