using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Identity.Data.Migrations
{
    /// <inheritdoc />
    public partial class ElectronicSignature : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "certificate_authorities",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    hsm_label = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    certificate = table.Column<byte[]>(type: "bytea", nullable: false),
                    thumbprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    not_after = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    crl = table.Column<byte[]>(type: "bytea", nullable: true),
                    crl_number = table.Column<long>(type: "bigint", nullable: false),
                    crl_this_update = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    crl_next_update = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_certificate_authorities", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "issued_certificates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    authority_id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    serial_number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    thumbprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    certificate = table.Column<byte[]>(type: "bytea", nullable: false),
                    not_before = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    not_after = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    issued_by = table.Column<Guid>(type: "uuid", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_by = table.Column<Guid>(type: "uuid", nullable: true),
                    revocation_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_issued_certificates", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "linked_certificates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    thumbprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    serial_number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    issuer = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    certificate = table.Column<byte[]>(type: "bytea", nullable: false),
                    not_before = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    not_after = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    linked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    unlinked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_linked_certificates", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_issued_certificates_account_id",
                table: "issued_certificates",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_issued_certificates_authority_id_serial_number",
                table: "issued_certificates",
                columns: new[] { "authority_id", "serial_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_issued_certificates_thumbprint",
                table: "issued_certificates",
                column: "thumbprint",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_linked_certificates_thumbprint",
                table: "linked_certificates",
                column: "thumbprint",
                unique: true,
                filter: "unlinked_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_linked_certificates_user_id",
                table: "linked_certificates",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "certificate_authorities");

            migrationBuilder.DropTable(
                name: "issued_certificates");

            migrationBuilder.DropTable(
                name: "linked_certificates");
        }
    }
}
