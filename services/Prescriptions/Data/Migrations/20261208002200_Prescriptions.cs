using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Prescriptions.Data.Migrations
{
    /// <inheritdoc />
    public partial class Prescriptions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "known_patients",
                columns: table => new
                {
                    patient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    snils = table.Column<string>(type: "character varying(11)", maxLength: 11, nullable: false),
                    birth_date = table.Column<DateOnly>(type: "date", nullable: false),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_known_patients", x => x.patient_id);
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
                name: "pharmacies",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    address = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    hours = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    serves_preferential = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pharmacies", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "pharmacy_grants",
                columns: table => new
                {
                    prescription_id = table.Column<Guid>(type: "uuid", nullable: false),
                    pharmacy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    granted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pharmacy_grants", x => new { x.prescription_id, x.pharmacy_id });
                });

            migrationBuilder.CreateTable(
                name: "pharmacy_sendings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    prescription_id = table.Column<Guid>(type: "uuid", nullable: false),
                    patient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    pharmacy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    idempotency_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pharmacy_sendings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "prescriptions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    patient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    external_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    content_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    quantity = table.Column<decimal>(type: "numeric(12,3)", precision: 12, scale: 3, nullable: false),
                    dispensed_quantity = table.Column<decimal>(type: "numeric(12,3)", precision: 12, scale: 3, nullable: false),
                    preferential = table.Column<bool>(type: "boolean", nullable: false),
                    authored_on = table.Column<DateOnly>(type: "date", nullable: false),
                    valid_from = table.Column<DateOnly>(type: "date", nullable: false),
                    valid_until = table.Column<DateOnly>(type: "date", nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    pharmacy_id = table.Column<Guid>(type: "uuid", nullable: true),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reserved_by_pharmacy_id = table.Column<Guid>(type: "uuid", nullable: true),
                    reserved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    expiry_reminder_sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_prescriptions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "medication_dispenses",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    prescription_id = table.Column<Guid>(type: "uuid", nullable: false),
                    patient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    pharmacy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    quantity = table.Column<decimal>(type: "numeric(12,3)", precision: 12, scale: 3, nullable: false),
                    dispensed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_medication_dispenses", x => x.id);
                    table.ForeignKey(
                        name: "fk_medication_dispenses_prescriptions_prescription_id",
                        column: x => x.prescription_id,
                        principalTable: "prescriptions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_known_patients_snils",
                table: "known_patients",
                column: "snils",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_medication_dispenses_prescription_id",
                table: "medication_dispenses",
                column: "prescription_id");

            migrationBuilder.CreateIndex(
                name: "ix_patient_access_restrictions_active",
                table: "patient_access_restrictions",
                column: "patient_id",
                filter: "active");

            migrationBuilder.CreateIndex(
                name: "ix_pharmacy_sendings_patient_id_idempotency_key",
                table: "pharmacy_sendings",
                columns: new[] { "patient_id", "idempotency_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_pharmacy_sendings_prescription_id",
                table: "pharmacy_sendings",
                column: "prescription_id");

            migrationBuilder.CreateIndex(
                name: "ix_prescriptions_active_valid_until",
                table: "prescriptions",
                column: "valid_until",
                filter: "status = 'active'");

            migrationBuilder.CreateIndex(
                name: "ix_prescriptions_organization_id_external_id",
                table: "prescriptions",
                columns: new[] { "organization_id", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_prescriptions_patient_id_issued_at_id",
                table: "prescriptions",
                columns: new[] { "patient_id", "issued_at", "id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "ix_prescriptions_pharmacy_id_sent_at",
                table: "prescriptions",
                columns: new[] { "pharmacy_id", "sent_at" },
                filter: "pharmacy_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "known_patients");

            migrationBuilder.DropTable(
                name: "medication_dispenses");

            migrationBuilder.DropTable(
                name: "patient_access_restrictions");

            migrationBuilder.DropTable(
                name: "patient_data_keys");

            migrationBuilder.DropTable(
                name: "pharmacies");

            migrationBuilder.DropTable(
                name: "pharmacy_grants");

            migrationBuilder.DropTable(
                name: "pharmacy_sendings");

            migrationBuilder.DropTable(
                name: "prescriptions");
        }
    }
}
