using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Identity.Data.Migrations
{
    /// <summary>
    /// Removes identity's own OAuth tables once ImportOwnClientsStep has moved the clients to OpenIddict's applications.
    /// Hand-written: the model has had no such tables since OpenIddictStores.
    /// </summary>
    [DbContext(typeof(IdentityDb))]
    [Migration("20261207200133_DropOwnTokenTables")]
    public partial class DropOwnTokenTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "authorization_codes");
            migrationBuilder.DropTable(name: "refresh_tokens");
            migrationBuilder.DropTable(name: "oauth_clients");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            throw new NotSupportedException("The old token tables are not restored: their clients live in oauth_applications now.");
    }
}
