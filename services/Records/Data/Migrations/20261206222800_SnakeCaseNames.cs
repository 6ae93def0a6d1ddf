using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Records.Data.Migrations
{
    /// <inheritdoc />
    public partial class SnakeCaseNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_observations_record_items_ItemId",
                table: "observations");

            migrationBuilder.DropForeignKey(
                name: "FK_record_documents_record_items_ItemId",
                table: "record_documents");

            migrationBuilder.DropPrimaryKey(
                name: "PK_record_items",
                table: "record_items");

            migrationBuilder.DropIndex(
                name: "ix_record_items_current_external_id",
                table: "record_items");

            migrationBuilder.DropIndex(
                name: "ix_record_items_history",
                table: "record_items");

            migrationBuilder.DropPrimaryKey(
                name: "PK_record_documents",
                table: "record_documents");

            migrationBuilder.DropPrimaryKey(
                name: "PK_observations",
                table: "observations");

            migrationBuilder.DropIndex(
                name: "ix_observations_trend",
                table: "observations");

            migrationBuilder.DropPrimaryKey(
                name: "PK_known_patients",
                table: "known_patients");

            migrationBuilder.DropPrimaryKey(
                name: "PK_care_relationships",
                table: "care_relationships");

            migrationBuilder.DropPrimaryKey(
                name: "PK_analyte_thresholds",
                table: "analyte_thresholds");

            migrationBuilder.RenameColumn(
                name: "Version",
                table: "record_items",
                newName: "version");

            migrationBuilder.RenameColumn(
                name: "Title",
                table: "record_items",
                newName: "title");

            migrationBuilder.RenameColumn(
                name: "Status",
                table: "record_items",
                newName: "status");

            migrationBuilder.RenameColumn(
                name: "Specialty",
                table: "record_items",
                newName: "specialty");

            migrationBuilder.RenameColumn(
                name: "Sections",
                table: "record_items",
                newName: "sections");

            migrationBuilder.RenameColumn(
                name: "Kind",
                table: "record_items",
                newName: "kind");

            migrationBuilder.RenameColumn(
                name: "Details",
                table: "record_items",
                newName: "details");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "record_items",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "SupersededAt",
                table: "record_items",
                newName: "superseded_at");

            migrationBuilder.RenameColumn(
                name: "SubmittedBy",
                table: "record_items",
                newName: "submitted_by");

            migrationBuilder.RenameColumn(
                name: "ResourceType",
                table: "record_items",
                newName: "resource_type");

            migrationBuilder.RenameColumn(
                name: "RecordId",
                table: "record_items",
                newName: "record_id");

            migrationBuilder.RenameColumn(
                name: "ReceivedAt",
                table: "record_items",
                newName: "received_at");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "record_items",
                newName: "patient_id");

            migrationBuilder.RenameColumn(
                name: "OrganizationName",
                table: "record_items",
                newName: "organization_name");

            migrationBuilder.RenameColumn(
                name: "OrganizationId",
                table: "record_items",
                newName: "organization_id");

            migrationBuilder.RenameColumn(
                name: "NotifiedAt",
                table: "record_items",
                newName: "notified_at");

            migrationBuilder.RenameColumn(
                name: "IsCurrent",
                table: "record_items",
                newName: "is_current");

            migrationBuilder.RenameColumn(
                name: "HasDocument",
                table: "record_items",
                newName: "has_document");

            migrationBuilder.RenameColumn(
                name: "ExternalId",
                table: "record_items",
                newName: "external_id");

            migrationBuilder.RenameColumn(
                name: "EffectiveAt",
                table: "record_items",
                newName: "effective_at");

            migrationBuilder.RenameColumn(
                name: "DoctorName",
                table: "record_items",
                newName: "doctor_name");

            migrationBuilder.RenameColumn(
                name: "DoctorId",
                table: "record_items",
                newName: "doctor_id");

            migrationBuilder.RenameColumn(
                name: "DiagnosisCodes",
                table: "record_items",
                newName: "diagnosis_codes");

            migrationBuilder.RenameColumn(
                name: "DepartmentName",
                table: "record_items",
                newName: "department_name");

            migrationBuilder.RenameColumn(
                name: "CorrectsItemId",
                table: "record_items",
                newName: "corrects_item_id");

            migrationBuilder.RenameColumn(
                name: "CorrectionReason",
                table: "record_items",
                newName: "correction_reason");

            migrationBuilder.RenameColumn(
                name: "ContentHash",
                table: "record_items",
                newName: "content_hash");

            migrationBuilder.RenameIndex(
                name: "IX_record_items_RecordId",
                table: "record_items",
                newName: "ix_record_items_record_id");

            migrationBuilder.RenameIndex(
                name: "IX_record_items_OrganizationId_ExternalId_Version",
                table: "record_items",
                newName: "ix_record_items_organization_id_external_id_version");

            migrationBuilder.RenameColumn(
                name: "Sha256",
                table: "record_documents",
                newName: "sha256");

            migrationBuilder.RenameColumn(
                name: "Content",
                table: "record_documents",
                newName: "content");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "record_documents",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "ReceivedAt",
                table: "record_documents",
                newName: "received_at");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "record_documents",
                newName: "patient_id");

            migrationBuilder.RenameColumn(
                name: "ItemId",
                table: "record_documents",
                newName: "item_id");

            migrationBuilder.RenameColumn(
                name: "FileName",
                table: "record_documents",
                newName: "file_name");

            migrationBuilder.RenameColumn(
                name: "ContentType",
                table: "record_documents",
                newName: "content_type");

            migrationBuilder.RenameIndex(
                name: "IX_record_documents_ItemId",
                table: "record_documents",
                newName: "ix_record_documents_item_id");

            migrationBuilder.RenameColumn(
                name: "Value",
                table: "observations",
                newName: "value");

            migrationBuilder.RenameColumn(
                name: "Unit",
                table: "observations",
                newName: "unit");

            migrationBuilder.RenameColumn(
                name: "Position",
                table: "observations",
                newName: "position");

            migrationBuilder.RenameColumn(
                name: "Interpretation",
                table: "observations",
                newName: "interpretation");

            migrationBuilder.RenameColumn(
                name: "Comment",
                table: "observations",
                newName: "comment");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "observations",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "ValueText",
                table: "observations",
                newName: "value_text");

            migrationBuilder.RenameColumn(
                name: "TakenAt",
                table: "observations",
                newName: "taken_at");

            migrationBuilder.RenameColumn(
                name: "ReferenceText",
                table: "observations",
                newName: "reference_text");

            migrationBuilder.RenameColumn(
                name: "ReferenceLow",
                table: "observations",
                newName: "reference_low");

            migrationBuilder.RenameColumn(
                name: "ReferenceHigh",
                table: "observations",
                newName: "reference_high");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "observations",
                newName: "patient_id");

            migrationBuilder.RenameColumn(
                name: "ItemId",
                table: "observations",
                newName: "item_id");

            migrationBuilder.RenameColumn(
                name: "IsCurrent",
                table: "observations",
                newName: "is_current");

            migrationBuilder.RenameColumn(
                name: "AnalyteName",
                table: "observations",
                newName: "analyte_name");

            migrationBuilder.RenameColumn(
                name: "AnalyteCode",
                table: "observations",
                newName: "analyte_code");

            migrationBuilder.RenameIndex(
                name: "IX_observations_ItemId",
                table: "observations",
                newName: "ix_observations_item_id");

            migrationBuilder.RenameColumn(
                name: "Snils",
                table: "known_patients",
                newName: "snils");

            migrationBuilder.RenameColumn(
                name: "RegisteredAt",
                table: "known_patients",
                newName: "registered_at");

            migrationBuilder.RenameColumn(
                name: "MiddleName",
                table: "known_patients",
                newName: "middle_name");

            migrationBuilder.RenameColumn(
                name: "GivenName",
                table: "known_patients",
                newName: "given_name");

            migrationBuilder.RenameColumn(
                name: "FamilyName",
                table: "known_patients",
                newName: "family_name");

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
                name: "Kind",
                table: "care_relationships",
                newName: "kind");

            migrationBuilder.RenameColumn(
                name: "ValidUntil",
                table: "care_relationships",
                newName: "valid_until");

            migrationBuilder.RenameColumn(
                name: "ValidFrom",
                table: "care_relationships",
                newName: "valid_from");

            migrationBuilder.RenameColumn(
                name: "UpdatedAt",
                table: "care_relationships",
                newName: "updated_at");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "care_relationships",
                newName: "patient_id");

            migrationBuilder.RenameColumn(
                name: "OrganizationId",
                table: "care_relationships",
                newName: "organization_id");

            migrationBuilder.RenameColumn(
                name: "DoctorId",
                table: "care_relationships",
                newName: "doctor_id");

            migrationBuilder.RenameColumn(
                name: "SourceId",
                table: "care_relationships",
                newName: "source_id");

            migrationBuilder.RenameIndex(
                name: "IX_care_relationships_PatientId_OrganizationId",
                table: "care_relationships",
                newName: "ix_care_relationships_patient_id_organization_id");

            migrationBuilder.RenameColumn(
                name: "Low",
                table: "analyte_thresholds",
                newName: "low");

            migrationBuilder.RenameColumn(
                name: "High",
                table: "analyte_thresholds",
                newName: "high");

            migrationBuilder.RenameColumn(
                name: "UpdatedAt",
                table: "analyte_thresholds",
                newName: "updated_at");

            migrationBuilder.RenameColumn(
                name: "AnalyteCode",
                table: "analyte_thresholds",
                newName: "analyte_code");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "analyte_thresholds",
                newName: "patient_id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_record_items",
                table: "record_items",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_record_documents",
                table: "record_documents",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_observations",
                table: "observations",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_known_patients",
                table: "known_patients",
                column: "patient_id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_care_relationships",
                table: "care_relationships",
                column: "source_id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_analyte_thresholds",
                table: "analyte_thresholds",
                columns: new[] { "patient_id", "analyte_code" });

            migrationBuilder.CreateIndex(
                name: "ix_record_items_current_external_id",
                table: "record_items",
                columns: new[] { "organization_id", "external_id" },
                unique: true,
                filter: "is_current");

            migrationBuilder.CreateIndex(
                name: "ix_record_items_history",
                table: "record_items",
                columns: new[] { "patient_id", "effective_at", "id" },
                descending: new[] { false, true, true },
                filter: "is_current");

            migrationBuilder.CreateIndex(
                name: "ix_observations_trend",
                table: "observations",
                columns: new[] { "patient_id", "analyte_code", "taken_at" },
                filter: "is_current");

            migrationBuilder.AddForeignKey(
                name: "fk_observations_record_items_item_id",
                table: "observations",
                column: "item_id",
                principalTable: "record_items",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_record_documents_record_items_item_id",
                table: "record_documents",
                column: "item_id",
                principalTable: "record_items",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_observations_record_items_item_id",
                table: "observations");

            migrationBuilder.DropForeignKey(
                name: "fk_record_documents_record_items_item_id",
                table: "record_documents");

            migrationBuilder.DropPrimaryKey(
                name: "pk_record_items",
                table: "record_items");

            migrationBuilder.DropIndex(
                name: "ix_record_items_current_external_id",
                table: "record_items");

            migrationBuilder.DropIndex(
                name: "ix_record_items_history",
                table: "record_items");

            migrationBuilder.DropPrimaryKey(
                name: "pk_record_documents",
                table: "record_documents");

            migrationBuilder.DropPrimaryKey(
                name: "pk_observations",
                table: "observations");

            migrationBuilder.DropIndex(
                name: "ix_observations_trend",
                table: "observations");

            migrationBuilder.DropPrimaryKey(
                name: "pk_known_patients",
                table: "known_patients");

            migrationBuilder.DropPrimaryKey(
                name: "pk_care_relationships",
                table: "care_relationships");

            migrationBuilder.DropPrimaryKey(
                name: "pk_analyte_thresholds",
                table: "analyte_thresholds");

            migrationBuilder.RenameColumn(
                name: "version",
                table: "record_items",
                newName: "Version");

            migrationBuilder.RenameColumn(
                name: "title",
                table: "record_items",
                newName: "Title");

            migrationBuilder.RenameColumn(
                name: "status",
                table: "record_items",
                newName: "Status");

            migrationBuilder.RenameColumn(
                name: "specialty",
                table: "record_items",
                newName: "Specialty");

            migrationBuilder.RenameColumn(
                name: "sections",
                table: "record_items",
                newName: "Sections");

            migrationBuilder.RenameColumn(
                name: "kind",
                table: "record_items",
                newName: "Kind");

            migrationBuilder.RenameColumn(
                name: "details",
                table: "record_items",
                newName: "Details");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "record_items",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "superseded_at",
                table: "record_items",
                newName: "SupersededAt");

            migrationBuilder.RenameColumn(
                name: "submitted_by",
                table: "record_items",
                newName: "SubmittedBy");

            migrationBuilder.RenameColumn(
                name: "resource_type",
                table: "record_items",
                newName: "ResourceType");

            migrationBuilder.RenameColumn(
                name: "record_id",
                table: "record_items",
                newName: "RecordId");

            migrationBuilder.RenameColumn(
                name: "received_at",
                table: "record_items",
                newName: "ReceivedAt");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "record_items",
                newName: "PatientId");

            migrationBuilder.RenameColumn(
                name: "organization_name",
                table: "record_items",
                newName: "OrganizationName");

            migrationBuilder.RenameColumn(
                name: "organization_id",
                table: "record_items",
                newName: "OrganizationId");

            migrationBuilder.RenameColumn(
                name: "notified_at",
                table: "record_items",
                newName: "NotifiedAt");

            migrationBuilder.RenameColumn(
                name: "is_current",
                table: "record_items",
                newName: "IsCurrent");

            migrationBuilder.RenameColumn(
                name: "has_document",
                table: "record_items",
                newName: "HasDocument");

            migrationBuilder.RenameColumn(
                name: "external_id",
                table: "record_items",
                newName: "ExternalId");

            migrationBuilder.RenameColumn(
                name: "effective_at",
                table: "record_items",
                newName: "EffectiveAt");

            migrationBuilder.RenameColumn(
                name: "doctor_name",
                table: "record_items",
                newName: "DoctorName");

            migrationBuilder.RenameColumn(
                name: "doctor_id",
                table: "record_items",
                newName: "DoctorId");

            migrationBuilder.RenameColumn(
                name: "diagnosis_codes",
                table: "record_items",
                newName: "DiagnosisCodes");

            migrationBuilder.RenameColumn(
                name: "department_name",
                table: "record_items",
                newName: "DepartmentName");

            migrationBuilder.RenameColumn(
                name: "corrects_item_id",
                table: "record_items",
                newName: "CorrectsItemId");

            migrationBuilder.RenameColumn(
                name: "correction_reason",
                table: "record_items",
                newName: "CorrectionReason");

            migrationBuilder.RenameColumn(
                name: "content_hash",
                table: "record_items",
                newName: "ContentHash");

            migrationBuilder.RenameIndex(
                name: "ix_record_items_record_id",
                table: "record_items",
                newName: "IX_record_items_RecordId");

            migrationBuilder.RenameIndex(
                name: "ix_record_items_organization_id_external_id_version",
                table: "record_items",
                newName: "IX_record_items_OrganizationId_ExternalId_Version");

            migrationBuilder.RenameColumn(
                name: "sha256",
                table: "record_documents",
                newName: "Sha256");

            migrationBuilder.RenameColumn(
                name: "content",
                table: "record_documents",
                newName: "Content");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "record_documents",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "received_at",
                table: "record_documents",
                newName: "ReceivedAt");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "record_documents",
                newName: "PatientId");

            migrationBuilder.RenameColumn(
                name: "item_id",
                table: "record_documents",
                newName: "ItemId");

            migrationBuilder.RenameColumn(
                name: "file_name",
                table: "record_documents",
                newName: "FileName");

            migrationBuilder.RenameColumn(
                name: "content_type",
                table: "record_documents",
                newName: "ContentType");

            migrationBuilder.RenameIndex(
                name: "ix_record_documents_item_id",
                table: "record_documents",
                newName: "IX_record_documents_ItemId");

            migrationBuilder.RenameColumn(
                name: "value",
                table: "observations",
                newName: "Value");

            migrationBuilder.RenameColumn(
                name: "unit",
                table: "observations",
                newName: "Unit");

            migrationBuilder.RenameColumn(
                name: "position",
                table: "observations",
                newName: "Position");

            migrationBuilder.RenameColumn(
                name: "interpretation",
                table: "observations",
                newName: "Interpretation");

            migrationBuilder.RenameColumn(
                name: "comment",
                table: "observations",
                newName: "Comment");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "observations",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "value_text",
                table: "observations",
                newName: "ValueText");

            migrationBuilder.RenameColumn(
                name: "taken_at",
                table: "observations",
                newName: "TakenAt");

            migrationBuilder.RenameColumn(
                name: "reference_text",
                table: "observations",
                newName: "ReferenceText");

            migrationBuilder.RenameColumn(
                name: "reference_low",
                table: "observations",
                newName: "ReferenceLow");

            migrationBuilder.RenameColumn(
                name: "reference_high",
                table: "observations",
                newName: "ReferenceHigh");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "observations",
                newName: "PatientId");

            migrationBuilder.RenameColumn(
                name: "item_id",
                table: "observations",
                newName: "ItemId");

            migrationBuilder.RenameColumn(
                name: "is_current",
                table: "observations",
                newName: "IsCurrent");

            migrationBuilder.RenameColumn(
                name: "analyte_name",
                table: "observations",
                newName: "AnalyteName");

            migrationBuilder.RenameColumn(
                name: "analyte_code",
                table: "observations",
                newName: "AnalyteCode");

            migrationBuilder.RenameIndex(
                name: "ix_observations_item_id",
                table: "observations",
                newName: "IX_observations_ItemId");

            migrationBuilder.RenameColumn(
                name: "snils",
                table: "known_patients",
                newName: "Snils");

            migrationBuilder.RenameColumn(
                name: "registered_at",
                table: "known_patients",
                newName: "RegisteredAt");

            migrationBuilder.RenameColumn(
                name: "middle_name",
                table: "known_patients",
                newName: "MiddleName");

            migrationBuilder.RenameColumn(
                name: "given_name",
                table: "known_patients",
                newName: "GivenName");

            migrationBuilder.RenameColumn(
                name: "family_name",
                table: "known_patients",
                newName: "FamilyName");

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
                name: "kind",
                table: "care_relationships",
                newName: "Kind");

            migrationBuilder.RenameColumn(
                name: "valid_until",
                table: "care_relationships",
                newName: "ValidUntil");

            migrationBuilder.RenameColumn(
                name: "valid_from",
                table: "care_relationships",
                newName: "ValidFrom");

            migrationBuilder.RenameColumn(
                name: "updated_at",
                table: "care_relationships",
                newName: "UpdatedAt");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "care_relationships",
                newName: "PatientId");

            migrationBuilder.RenameColumn(
                name: "organization_id",
                table: "care_relationships",
                newName: "OrganizationId");

            migrationBuilder.RenameColumn(
                name: "doctor_id",
                table: "care_relationships",
                newName: "DoctorId");

            migrationBuilder.RenameColumn(
                name: "source_id",
                table: "care_relationships",
                newName: "SourceId");

            migrationBuilder.RenameIndex(
                name: "ix_care_relationships_patient_id_organization_id",
                table: "care_relationships",
                newName: "IX_care_relationships_PatientId_OrganizationId");

            migrationBuilder.RenameColumn(
                name: "low",
                table: "analyte_thresholds",
                newName: "Low");

            migrationBuilder.RenameColumn(
                name: "high",
                table: "analyte_thresholds",
                newName: "High");

            migrationBuilder.RenameColumn(
                name: "updated_at",
                table: "analyte_thresholds",
                newName: "UpdatedAt");

            migrationBuilder.RenameColumn(
                name: "analyte_code",
                table: "analyte_thresholds",
                newName: "AnalyteCode");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "analyte_thresholds",
                newName: "PatientId");

            migrationBuilder.AddPrimaryKey(
                name: "PK_record_items",
                table: "record_items",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_record_documents",
                table: "record_documents",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_observations",
                table: "observations",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_known_patients",
                table: "known_patients",
                column: "PatientId");

            migrationBuilder.AddPrimaryKey(
                name: "PK_care_relationships",
                table: "care_relationships",
                column: "SourceId");

            migrationBuilder.AddPrimaryKey(
                name: "PK_analyte_thresholds",
                table: "analyte_thresholds",
                columns: new[] { "PatientId", "AnalyteCode" });

            migrationBuilder.CreateIndex(
                name: "ix_record_items_current_external_id",
                table: "record_items",
                columns: new[] { "OrganizationId", "ExternalId" },
                unique: true,
                filter: "\"IsCurrent\"");

            migrationBuilder.CreateIndex(
                name: "ix_record_items_history",
                table: "record_items",
                columns: new[] { "PatientId", "EffectiveAt", "Id" },
                descending: new[] { false, true, true },
                filter: "\"IsCurrent\"");

            migrationBuilder.CreateIndex(
                name: "ix_observations_trend",
                table: "observations",
                columns: new[] { "PatientId", "AnalyteCode", "TakenAt" },
                filter: "\"IsCurrent\"");

            migrationBuilder.AddForeignKey(
                name: "FK_observations_record_items_ItemId",
                table: "observations",
                column: "ItemId",
                principalTable: "record_items",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_record_documents_record_items_ItemId",
                table: "record_documents",
                column: "ItemId",
                principalTable: "record_items",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
