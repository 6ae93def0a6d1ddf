using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Identity.Data.Migrations
{
    /// <inheritdoc />
    public partial class SealPersonDocuments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "patient_data_keys",
                columns: table => new
                {
                    patient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    wrapped_by = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    wrapped_key = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_patient_data_keys", x => x.patient_id);
                });

            // The clear columns are kept under new names until SealPersonDocumentsStep has sealed every person's documents
            // into the new ones (it runs right after this migration); DropClearPersonDocuments then removes them. The
            // unique index moves from the clear number to its blind index, which the step fills.
            migrationBuilder.Sql("""
                DROP INDEX ix_users_oms_policy_number;
                ALTER TABLE users RENAME COLUMN passport_series TO passport_series_clear;
                ALTER TABLE users RENAME COLUMN passport_number TO passport_number_clear;
                ALTER TABLE users RENAME COLUMN passport_issued_on TO passport_issued_on_clear;
                ALTER TABLE users RENAME COLUMN oms_policy_number TO oms_policy_number_clear;
                ALTER TABLE users RENAME COLUMN oms_insurer TO oms_insurer_clear;
                ALTER TABLE users RENAME COLUMN oms_valid_from TO oms_valid_from_clear;
                ALTER TABLE users RENAME COLUMN oms_valid_to TO oms_valid_to_clear;
                ALTER TABLE users ADD COLUMN passport bytea, ADD COLUMN oms_policy bytea, ADD COLUMN oms_policy_number_index bytea;
                CREATE UNIQUE INDEX ix_users_oms_policy_number_index ON users (oms_policy_number_index) WHERE oms_policy_number_index IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            throw new NotSupportedException("Sealed identity documents are not turned back into clear text by a migration.");
    }
}
