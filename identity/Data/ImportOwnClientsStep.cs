using System.Text.Json;
using Gosuslugi.Health.Identity.Tokens;
using Gosuslugi.Health.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Gosuslugi.Health.Identity.Data;

/// <summary>
/// Moves the clients of a database from before OpenIddict (<c>oauth_clients</c>) into OpenIddict's applications, after
/// migration OpenIddictStores made them and before DropOwnTokenTables drops the old table. A secret keeps its hash:
/// <see cref="HealthApplicationManager"/> verifies identity's format. Raw SQL: the old table is no longer in the model.
/// </summary>
public sealed class ImportOwnClientsStep(ILogger<ImportOwnClientsStep> logger) : IMigrationDataStep<IdentityDb>
{
    public string AfterMigration => "20261207200132_OpenIddictStores";

    public async Task RunAsync(IdentityDb db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var clients = new List<OpenIddictEntityFrameworkCoreApplication<Guid>>();
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var command = new NpgsqlCommand("""
                SELECT client_id, display_name, type, secret_hash, redirect_uris, allowed_grant_types, allowed_scopes,
                       organization_id, organization_name, created_at
                FROM oauth_clients c
                WHERE NOT EXISTS (SELECT 1 FROM oauth_applications a WHERE a.client_id = c.client_id)
                """, connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) clients.Add(ToApplication(reader));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        db.Applications.AddRange(clients);
        await db.SaveChangesAsync(ct);
        if (clients.Count > 0) logger.LogInformation("Moved {Count} OAuth clients to OpenIddict's applications", clients.Count);
    }

    private static OpenIddictEntityFrameworkCoreApplication<Guid> ToApplication(NpgsqlDataReader row)
    {
        var confidential = row.GetString(2) == "Confidential";
        var redirectUris = row.GetFieldValue<string[]>(4);
        var properties = new Dictionary<string, JsonElement>
        {
            [ClientRegistry.CreatedAtProperty] = JsonSerializer.SerializeToElement(row.GetFieldValue<DateTimeOffset>(9)),
        };
        if (!row.IsDBNull(7)) ClientRegistry.SetOrganization(properties, row.GetGuid(7), row.IsDBNull(8) ? "" : row.GetString(8));
        return new OpenIddictEntityFrameworkCoreApplication<Guid>
        {
            Id = Guid.CreateVersion7(),
            ClientId = row.GetString(0),
            DisplayName = row.GetString(1),
            ClientType = confidential ? ClientTypes.Confidential : ClientTypes.Public,
            ClientSecret = row.IsDBNull(3) ? null : row.GetString(3),
            ConsentType = ConsentTypes.Implicit,
            RedirectUris = JsonSerializer.Serialize(redirectUris),
            PostLogoutRedirectUris = JsonSerializer.Serialize(redirectUris),
            // A frontend also gets the delegated scopes, which OpenIddict checks against the client at token exchange.
            Permissions = JsonSerializer.Serialize(ClientRegistry.PermissionsFor(confidential, row.GetFieldValue<string[]>(5),
                confidential ? row.GetFieldValue<string[]>(6) : row.GetFieldValue<string[]>(6).Union(ClientRegistry.PublicClientScopes))),
            Requirements = confidential ? null : JsonSerializer.Serialize(new[] { Requirements.Features.ProofKeyForCodeExchange }),
            Properties = JsonSerializer.Serialize(properties),
        };
    }
}
