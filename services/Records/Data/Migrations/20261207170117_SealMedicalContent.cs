using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Records.Data.Migrations
{
    /// <inheritdoc />
    public partial class SealMedicalContent : Migration
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

            // The clear columns are kept under new names until SealMedicalContentStep has sealed every row into the
            // new ones (it runs right after this migration); DropClearMedicalContent then removes them.
            migrationBuilder.Sql("""
                ALTER TABLE record_items RENAME COLUMN title TO title_clear;
                ALTER TABLE record_items RENAME COLUMN details TO details_clear;
                ALTER TABLE record_items RENAME COLUMN correction_reason TO correction_reason_clear;
                ALTER TABLE record_items ALTER COLUMN title_clear DROP NOT NULL, ALTER COLUMN details_clear DROP NOT NULL,
                    ADD COLUMN title bytea, ADD COLUMN details bytea, ADD COLUMN correction_reason bytea;

                ALTER TABLE observations RENAME COLUMN analyte_name TO analyte_name_clear;
                ALTER TABLE observations RENAME COLUMN value TO value_clear;
                ALTER TABLE observations RENAME COLUMN value_text TO value_text_clear;
                ALTER TABLE observations RENAME COLUMN reference_low TO reference_low_clear;
                ALTER TABLE observations RENAME COLUMN reference_high TO reference_high_clear;
                ALTER TABLE observations RENAME COLUMN reference_text TO reference_text_clear;
                ALTER TABLE observations RENAME COLUMN comment TO comment_clear;
                ALTER TABLE observations ALTER COLUMN analyte_name_clear DROP NOT NULL, ADD COLUMN content bytea;

                ALTER TABLE record_documents RENAME COLUMN file_name TO file_name_clear;
                ALTER TABLE record_documents RENAME COLUMN content TO content_clear;
                ALTER TABLE record_documents ALTER COLUMN file_name_clear DROP NOT NULL, ALTER COLUMN content_clear DROP NOT NULL,
                    ADD COLUMN file_name bytea, ADD COLUMN content bytea, ADD COLUMN size integer NOT NULL DEFAULT 0;
                UPDATE record_documents SET size = octet_length(content_clear);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            throw new NotSupportedException("Sealed medical content is not turned back into clear text by a migration.");
    }
}
