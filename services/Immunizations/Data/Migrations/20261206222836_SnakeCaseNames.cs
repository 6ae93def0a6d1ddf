using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Immunizations.Data.Migrations
{
    /// <inheritdoc />
    public partial class SnakeCaseNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_vaccination_plans",
                table: "vaccination_plans");

            migrationBuilder.DropIndex(
                name: "IX_vaccination_plans_DueOn_awaiting_reminder",
                table: "vaccination_plans");

            migrationBuilder.DropPrimaryKey(
                name: "PK_known_patients",
                table: "known_patients");

            migrationBuilder.DropPrimaryKey(
                name: "PK_immunizations",
                table: "immunizations");

            migrationBuilder.RenameColumn(
                name: "Stage",
                table: "vaccination_plans",
                newName: "stage");

            migrationBuilder.RenameColumn(
                name: "Disease",
                table: "vaccination_plans",
                newName: "disease");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "vaccination_plans",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "VaccineName",
                table: "vaccination_plans",
                newName: "vaccine_name");

            migrationBuilder.RenameColumn(
                name: "UpdatedAt",
                table: "vaccination_plans",
                newName: "updated_at");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "vaccination_plans",
                newName: "patient_id");

            migrationBuilder.RenameColumn(
                name: "OrganizationName",
                table: "vaccination_plans",
                newName: "organization_name");

            migrationBuilder.RenameColumn(
                name: "OrganizationId",
                table: "vaccination_plans",
                newName: "organization_id");

            migrationBuilder.RenameColumn(
                name: "NotifiedAt",
                table: "vaccination_plans",
                newName: "notified_at");

            migrationBuilder.RenameColumn(
                name: "ExternalId",
                table: "vaccination_plans",
                newName: "external_id");

            migrationBuilder.RenameColumn(
                name: "DueOn",
                table: "vaccination_plans",
                newName: "due_on");

            migrationBuilder.RenameColumn(
                name: "DoneByImmunizationId",
                table: "vaccination_plans",
                newName: "done_by_immunization_id");

            migrationBuilder.RenameColumn(
                name: "DoneAt",
                table: "vaccination_plans",
                newName: "done_at");

            migrationBuilder.RenameColumn(
                name: "CreatedAt",
                table: "vaccination_plans",
                newName: "created_at");

            migrationBuilder.RenameColumn(
                name: "CancelledAt",
                table: "vaccination_plans",
                newName: "cancelled_at");

            migrationBuilder.RenameIndex(
                name: "IX_vaccination_plans_PatientId_DueOn",
                table: "vaccination_plans",
                newName: "ix_vaccination_plans_patient_id_due_on");

            migrationBuilder.RenameIndex(
                name: "IX_vaccination_plans_OrganizationId_ExternalId",
                table: "vaccination_plans",
                newName: "ix_vaccination_plans_organization_id_external_id");

            migrationBuilder.RenameColumn(
                name: "Snils",
                table: "known_patients",
                newName: "snils");

            migrationBuilder.RenameColumn(
                name: "RegisteredAt",
                table: "known_patients",
                newName: "registered_at");

            migrationBuilder.RenameColumn(
                name: "BirthDate",
                table: "known_patients",
                newName: "birth_date");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "known_patients",
                newName: "patient_id");

            migrationBuilder.RenameIndex(
                name: "IX_known_patients_Snils",
                table: "known_patients",
                newName: "ix_known_patients_snils");

            migrationBuilder.RenameColumn(
                name: "Stage",
                table: "immunizations",
                newName: "stage");

            migrationBuilder.RenameColumn(
                name: "Site",
                table: "immunizations",
                newName: "site");

            migrationBuilder.RenameColumn(
                name: "Route",
                table: "immunizations",
                newName: "route");

            migrationBuilder.RenameColumn(
                name: "Disease",
                table: "immunizations",
                newName: "disease");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "immunizations",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "VaccineName",
                table: "immunizations",
                newName: "vaccine_name");

            migrationBuilder.RenameColumn(
                name: "VaccineCode",
                table: "immunizations",
                newName: "vaccine_code");

            migrationBuilder.RenameColumn(
                name: "RecordedAt",
                table: "immunizations",
                newName: "recorded_at");

            migrationBuilder.RenameColumn(
                name: "PerformerName",
                table: "immunizations",
                newName: "performer_name");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "immunizations",
                newName: "patient_id");

            migrationBuilder.RenameColumn(
                name: "OrganizationName",
                table: "immunizations",
                newName: "organization_name");

            migrationBuilder.RenameColumn(
                name: "OrganizationId",
                table: "immunizations",
                newName: "organization_id");

            migrationBuilder.RenameColumn(
                name: "LotNumber",
                table: "immunizations",
                newName: "lot_number");

            migrationBuilder.RenameColumn(
                name: "ExternalId",
                table: "immunizations",
                newName: "external_id");

            migrationBuilder.RenameColumn(
                name: "DoseNumber",
                table: "immunizations",
                newName: "dose_number");

            migrationBuilder.RenameColumn(
                name: "AdministeredOn",
                table: "immunizations",
                newName: "administered_on");

            migrationBuilder.RenameIndex(
                name: "IX_immunizations_PatientId_AdministeredOn",
                table: "immunizations",
                newName: "ix_immunizations_patient_id_administered_on");

            migrationBuilder.RenameIndex(
                name: "IX_immunizations_OrganizationId_ExternalId",
                table: "immunizations",
                newName: "ix_immunizations_organization_id_external_id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_vaccination_plans",
                table: "vaccination_plans",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_known_patients",
                table: "known_patients",
                column: "patient_id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_immunizations",
                table: "immunizations",
                column: "id");

            migrationBuilder.CreateIndex(
                name: "ix_vaccination_plans_due_on_awaiting_reminder",
                table: "vaccination_plans",
                column: "due_on",
                filter: "notified_at IS NULL AND done_at IS NULL AND cancelled_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_vaccination_plans",
                table: "vaccination_plans");

            migrationBuilder.DropIndex(
                name: "ix_vaccination_plans_due_on_awaiting_reminder",
                table: "vaccination_plans");

            migrationBuilder.DropPrimaryKey(
                name: "pk_known_patients",
                table: "known_patients");

            migrationBuilder.DropPrimaryKey(
                name: "pk_immunizations",
                table: "immunizations");

            migrationBuilder.RenameColumn(
                name: "stage",
                table: "vaccination_plans",
                newName: "Stage");

            migrationBuilder.RenameColumn(
                name: "disease",
                table: "vaccination_plans",
                newName: "Disease");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "vaccination_plans",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "vaccine_name",
                table: "vaccination_plans",
                newName: "VaccineName");

            migrationBuilder.RenameColumn(
                name: "updated_at",
                table: "vaccination_plans",
                newName: "UpdatedAt");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "vaccination_plans",
                newName: "PatientId");

            migrationBuilder.RenameColumn(
                name: "organization_name",
                table: "vaccination_plans",
                newName: "OrganizationName");

            migrationBuilder.RenameColumn(
                name: "organization_id",
                table: "vaccination_plans",
                newName: "OrganizationId");

            migrationBuilder.RenameColumn(
                name: "notified_at",
                table: "vaccination_plans",
                newName: "NotifiedAt");

            migrationBuilder.RenameColumn(
                name: "external_id",
                table: "vaccination_plans",
                newName: "ExternalId");

            migrationBuilder.RenameColumn(
                name: "due_on",
                table: "vaccination_plans",
                newName: "DueOn");

            migrationBuilder.RenameColumn(
                name: "done_by_immunization_id",
                table: "vaccination_plans",
                newName: "DoneByImmunizationId");

            migrationBuilder.RenameColumn(
                name: "done_at",
                table: "vaccination_plans",
                newName: "DoneAt");

            migrationBuilder.RenameColumn(
                name: "created_at",
                table: "vaccination_plans",
                newName: "CreatedAt");

            migrationBuilder.RenameColumn(
                name: "cancelled_at",
                table: "vaccination_plans",
                newName: "CancelledAt");

            migrationBuilder.RenameIndex(
                name: "ix_vaccination_plans_patient_id_due_on",
                table: "vaccination_plans",
                newName: "IX_vaccination_plans_PatientId_DueOn");

            migrationBuilder.RenameIndex(
                name: "ix_vaccination_plans_organization_id_external_id",
                table: "vaccination_plans",
                newName: "IX_vaccination_plans_OrganizationId_ExternalId");

            migrationBuilder.RenameColumn(
                name: "snils",
                table: "known_patients",
                newName: "Snils");

            migrationBuilder.RenameColumn(
                name: "registered_at",
                table: "known_patients",
                newName: "RegisteredAt");

            migrationBuilder.RenameColumn(
                name: "birth_date",
                table: "known_patients",
                newName: "BirthDate");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "known_patients",
                newName: "PatientId");

            migrationBuilder.RenameIndex(
                name: "ix_known_patients_snils",
                table: "known_patients",
                newName: "IX_known_patients_Snils");

            migrationBuilder.RenameColumn(
                name: "stage",
                table: "immunizations",
                newName: "Stage");

            migrationBuilder.RenameColumn(
                name: "site",
                table: "immunizations",
                newName: "Site");

            migrationBuilder.RenameColumn(
                name: "route",
                table: "immunizations",
                newName: "Route");

            migrationBuilder.RenameColumn(
                name: "disease",
                table: "immunizations",
                newName: "Disease");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "immunizations",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "vaccine_name",
                table: "immunizations",
                newName: "VaccineName");

            migrationBuilder.RenameColumn(
                name: "vaccine_code",
                table: "immunizations",
                newName: "VaccineCode");

            migrationBuilder.RenameColumn(
                name: "recorded_at",
                table: "immunizations",
                newName: "RecordedAt");

            migrationBuilder.RenameColumn(
                name: "performer_name",
                table: "immunizations",
                newName: "PerformerName");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "immunizations",
                newName: "PatientId");

            migrationBuilder.RenameColumn(
                name: "organization_name",
                table: "immunizations",
                newName: "OrganizationName");

            migrationBuilder.RenameColumn(
                name: "organization_id",
                table: "immunizations",
                newName: "OrganizationId");

            migrationBuilder.RenameColumn(
                name: "lot_number",
                table: "immunizations",
                newName: "LotNumber");

            migrationBuilder.RenameColumn(
                name: "external_id",
                table: "immunizations",
                newName: "ExternalId");

            migrationBuilder.RenameColumn(
                name: "dose_number",
                table: "immunizations",
                newName: "DoseNumber");

            migrationBuilder.RenameColumn(
                name: "administered_on",
                table: "immunizations",
                newName: "AdministeredOn");

            migrationBuilder.RenameIndex(
                name: "ix_immunizations_patient_id_administered_on",
                table: "immunizations",
                newName: "IX_immunizations_PatientId_AdministeredOn");

            migrationBuilder.RenameIndex(
                name: "ix_immunizations_organization_id_external_id",
                table: "immunizations",
                newName: "IX_immunizations_OrganizationId_ExternalId");

            migrationBuilder.AddPrimaryKey(
                name: "PK_vaccination_plans",
                table: "vaccination_plans",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_known_patients",
                table: "known_patients",
                column: "PatientId");

            migrationBuilder.AddPrimaryKey(
                name: "PK_immunizations",
                table: "immunizations",
                column: "Id");

            migrationBuilder.CreateIndex(
                name: "IX_vaccination_plans_DueOn_awaiting_reminder",
                table: "vaccination_plans",
                column: "DueOn",
                filter: "\"NotifiedAt\" IS NULL AND \"DoneAt\" IS NULL AND \"CancelledAt\" IS NULL");
        }
    }
}
