using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Identity.Data.Migrations
{
    /// <summary>
    /// Signing keys move into the HSM. Keys whose private half sat in this table are not trusted any longer: they are
    /// deleted with their column, and start-up creates a current and a next key inside the HSM. Access and ID tokens
    /// they signed stop validating (a client refreshes: refresh tokens are opaque and unaffected).
    /// </summary>
    public partial class HsmSigningKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM signing_keys;");
            migrationBuilder.DropColumn(name: "private_key", table: "signing_keys");
            migrationBuilder.AddColumn<byte[]>(name: "public_key", table: "signing_keys", type: "bytea", nullable: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM signing_keys;");
            migrationBuilder.DropColumn(name: "public_key", table: "signing_keys");
            migrationBuilder.AddColumn<byte[]>(name: "private_key", table: "signing_keys", type: "bytea", nullable: false);
        }
    }
}
