using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.SickLeave.Data.Migrations
{
    /// <inheritdoc />
    public partial class Certificates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "care_relationships",
                columns: table => new
                {
                    source_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    patient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    doctor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    valid_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    valid_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_care_relationships", x => x.source_id);
                });

            migrationBuilder.CreateTable(
                name: "certificates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    patient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    number = table.Column<string>(type: "character(12)", fixedLength: true, maxLength: 12, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false),
                    content_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_certificates", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "known_patients",
                columns: table => new
                {
                    patient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    snils = table.Column<string>(type: "character varying(11)", maxLength: 11, nullable: false),
                    family_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    given_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    middle_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    birth_date = table.Column<DateOnly>(type: "date", nullable: false),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_known_patients", x => x.patient_id);
                });

            migrationBuilder.CreateTable(
                name: "missing_certificate_requests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    patient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    period_from = table.Column<DateOnly>(type: "date", nullable: false),
                    period_to = table.Column<DateOnly>(type: "date", nullable: false),
                    number = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: true),
                    comment = table.Column<byte[]>(type: "bytea", nullable: true),
                    idempotency_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    submitted_by = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    overdue_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    answered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    answered_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    certificate_id = table.Column<Guid>(type: "uuid", nullable: true),
                    certificate_number = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: true),
                    refusal_reason = table.Column<byte[]>(type: "bytea", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_missing_certificate_requests", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "patient_access_restrictions",
                columns: table => new
                {
                    restriction_id = table.Column<Guid>(type: "uuid", nullable: false),
                    patient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: true),
                    section = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_patient_access_restrictions", x => x.restriction_id);
                });

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

            migrationBuilder.CreateTable(
                name: "certificate_versions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    certificate_id = table.Column<Guid>(type: "uuid", nullable: false),
                    patient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false),
                    content_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    submitted_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_certificate_versions", x => x.id);
                    table.ForeignKey(
                        name: "fk_certificate_versions_certificates_certificate_id",
                        column: x => x.certificate_id,
                        principalTable: "certificates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_care_relationships_patient_id_organization_id",
                table: "care_relationships",
                columns: new[] { "patient_id", "organization_id" });

            migrationBuilder.CreateIndex(
                name: "ix_certificate_versions_certificate_id_version",
                table: "certificate_versions",
                columns: new[] { "certificate_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_certificates_number",
                table: "certificates",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_certificates_patient_id_starts_on",
                table: "certificates",
                columns: new[] { "patient_id", "starts_on" });

            migrationBuilder.CreateIndex(
                name: "ix_known_patients_snils",
                table: "known_patients",
                column: "snils",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_missing_certificate_requests_awaiting_answer",
                table: "missing_certificate_requests",
                column: "due_at",
                filter: "status = 'submitted'");

            migrationBuilder.CreateIndex(
                name: "ix_missing_certificate_requests_organization_id_due_at",
                table: "missing_certificate_requests",
                columns: new[] { "organization_id", "due_at" });

            migrationBuilder.CreateIndex(
                name: "ix_missing_certificate_requests_patient_id_idempotency_key",
                table: "missing_certificate_requests",
                columns: new[] { "patient_id", "idempotency_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_missing_certificate_requests_patient_id_submitted_at",
                table: "missing_certificate_requests",
                columns: new[] { "patient_id", "submitted_at" });

            migrationBuilder.CreateIndex(
                name: "ix_patient_access_restrictions_active",
                table: "patient_access_restrictions",
                column: "patient_id",
                filter: "active");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "care_relationships");

            migrationBuilder.DropTable(
                name: "certificate_versions");

            migrationBuilder.DropTable(
                name: "known_patients");

            migrationBuilder.DropTable(
                name: "missing_certificate_requests");

            migrationBuilder.DropTable(
                name: "patient_access_restrictions");

            migrationBuilder.DropTable(
                name: "patient_data_keys");

            migrationBuilder.DropTable(
                name: "certificates");
        }
    }
}
