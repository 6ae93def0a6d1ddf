using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Appointments.Data.Migrations
{
    /// <inheritdoc />
    public partial class SnakeCaseNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_appointment_changes_appointments_AppointmentId",
                table: "appointment_changes");

            migrationBuilder.DropPrimaryKey(
                name: "PK_waitlist_entries",
                table: "waitlist_entries");

            migrationBuilder.DropIndex(
                name: "ix_waitlist_entries_waiting",
                table: "waitlist_entries");

            migrationBuilder.DropPrimaryKey(
                name: "PK_slots",
                table: "slots");

            migrationBuilder.DropIndex(
                name: "IX_slots_SpecialtyCode_StartsAt",
                table: "slots");

            migrationBuilder.DropPrimaryKey(
                name: "PK_slot_offers",
                table: "slot_offers");

            migrationBuilder.DropIndex(
                name: "ix_slot_offers_open",
                table: "slot_offers");

            migrationBuilder.DropPrimaryKey(
                name: "PK_organizations",
                table: "organizations");

            migrationBuilder.DropPrimaryKey(
                name: "PK_known_patients",
                table: "known_patients");

            migrationBuilder.DropPrimaryKey(
                name: "PK_idempotent_requests",
                table: "idempotent_requests");

            migrationBuilder.DropPrimaryKey(
                name: "PK_doctors",
                table: "doctors");

            migrationBuilder.DropPrimaryKey(
                name: "PK_departments",
                table: "departments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_attachments",
                table: "attachments");

            migrationBuilder.DropIndex(
                name: "ux_attachments_current",
                table: "attachments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_attachment_requests",
                table: "attachment_requests");

            migrationBuilder.DropPrimaryKey(
                name: "PK_appointments",
                table: "appointments");

            migrationBuilder.DropIndex(
                name: "ux_appointments_booked_slot",
                table: "appointments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_appointment_changes",
                table: "appointment_changes");

            migrationBuilder.RenameColumn(
                name: "Status",
                table: "waitlist_entries",
                newName: "status");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "waitlist_entries",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "WantedBefore",
                table: "waitlist_entries",
                newName: "wanted_before");

            migrationBuilder.RenameColumn(
                name: "UpdatedAt",
                table: "waitlist_entries",
                newName: "updated_at");

            migrationBuilder.RenameColumn(
                name: "SpecialtyCode",
                table: "waitlist_entries",
                newName: "specialty_code");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "waitlist_entries",
                newName: "patient_id");

            migrationBuilder.RenameColumn(
                name: "OrganizationId",
                table: "waitlist_entries",
                newName: "organization_id");

            migrationBuilder.RenameColumn(
                name: "DoctorId",
                table: "waitlist_entries",
                newName: "doctor_id");

            migrationBuilder.RenameColumn(
                name: "CreatedBy",
                table: "waitlist_entries",
                newName: "created_by");

            migrationBuilder.RenameColumn(
                name: "CreatedAt",
                table: "waitlist_entries",
                newName: "created_at");

            migrationBuilder.RenameColumn(
                name: "AppointmentId",
                table: "waitlist_entries",
                newName: "appointment_id");

            migrationBuilder.RenameIndex(
                name: "IX_waitlist_entries_PatientId_CreatedAt",
                table: "waitlist_entries",
                newName: "ix_waitlist_entries_patient_id_created_at");

            migrationBuilder.RenameColumn(
                name: "Telemedicine",
                table: "slots",
                newName: "telemedicine");

            migrationBuilder.RenameColumn(
                name: "Room",
                table: "slots",
                newName: "room");

            migrationBuilder.RenameColumn(
                name: "Closed",
                table: "slots",
                newName: "closed");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "slots",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "StartsAt",
                table: "slots",
                newName: "starts_at");

            migrationBuilder.RenameColumn(
                name: "SpecialtyCode",
                table: "slots",
                newName: "specialty_code");

            migrationBuilder.RenameColumn(
                name: "OrganizationId",
                table: "slots",
                newName: "organization_id");

            migrationBuilder.RenameColumn(
                name: "HeldUntil",
                table: "slots",
                newName: "held_until");

            migrationBuilder.RenameColumn(
                name: "HeldForOfferId",
                table: "slots",
                newName: "held_for_offer_id");

            migrationBuilder.RenameColumn(
                name: "EndsAt",
                table: "slots",
                newName: "ends_at");

            migrationBuilder.RenameColumn(
                name: "DoctorId",
                table: "slots",
                newName: "doctor_id");

            migrationBuilder.RenameColumn(
                name: "DepartmentId",
                table: "slots",
                newName: "department_id");

            migrationBuilder.RenameColumn(
                name: "CreatedAt",
                table: "slots",
                newName: "created_at");

            migrationBuilder.RenameIndex(
                name: "IX_slots_OrganizationId_StartsAt",
                table: "slots",
                newName: "ix_slots_organization_id_starts_at");

            migrationBuilder.RenameIndex(
                name: "IX_slots_DoctorId_StartsAt",
                table: "slots",
                newName: "ix_slots_doctor_id_starts_at");

            migrationBuilder.RenameColumn(
                name: "Status",
                table: "slot_offers",
                newName: "status");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "slot_offers",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "SlotId",
                table: "slot_offers",
                newName: "slot_id");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "slot_offers",
                newName: "patient_id");

            migrationBuilder.RenameColumn(
                name: "ExpiresAt",
                table: "slot_offers",
                newName: "expires_at");

            migrationBuilder.RenameColumn(
                name: "EntryId",
                table: "slot_offers",
                newName: "entry_id");

            migrationBuilder.RenameColumn(
                name: "CreatedAt",
                table: "slot_offers",
                newName: "created_at");

            migrationBuilder.RenameColumn(
                name: "AnsweredAt",
                table: "slot_offers",
                newName: "answered_at");

            migrationBuilder.RenameIndex(
                name: "IX_slot_offers_SlotId",
                table: "slot_offers",
                newName: "ix_slot_offers_slot_id");

            migrationBuilder.RenameIndex(
                name: "IX_slot_offers_PatientId_CreatedAt",
                table: "slot_offers",
                newName: "ix_slot_offers_patient_id_created_at");

            migrationBuilder.RenameColumn(
                name: "Website",
                table: "organizations",
                newName: "website");

            migrationBuilder.RenameColumn(
                name: "Phone",
                table: "organizations",
                newName: "phone");

            migrationBuilder.RenameColumn(
                name: "Name",
                table: "organizations",
                newName: "name");

            migrationBuilder.RenameColumn(
                name: "Kind",
                table: "organizations",
                newName: "kind");

            migrationBuilder.RenameColumn(
                name: "Email",
                table: "organizations",
                newName: "email");

            migrationBuilder.RenameColumn(
                name: "Address",
                table: "organizations",
                newName: "address");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "organizations",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "UpdatedAt",
                table: "organizations",
                newName: "updated_at");

            migrationBuilder.RenameColumn(
                name: "Snils",
                table: "known_patients",
                newName: "snils");

            migrationBuilder.RenameColumn(
                name: "RegisteredAt",
                table: "known_patients",
                newName: "registered_at");

            migrationBuilder.RenameColumn(
                name: "OmsValidTo",
                table: "known_patients",
                newName: "oms_valid_to");

            migrationBuilder.RenameColumn(
                name: "OmsValidFrom",
                table: "known_patients",
                newName: "oms_valid_from");

            migrationBuilder.RenameColumn(
                name: "OmsChangedAt",
                table: "known_patients",
                newName: "oms_changed_at");

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
                name: "AccountLevelAt",
                table: "known_patients",
                newName: "account_level_at");

            migrationBuilder.RenameColumn(
                name: "AccountLevel",
                table: "known_patients",
                newName: "account_level");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "known_patients",
                newName: "patient_id");

            migrationBuilder.RenameIndex(
                name: "IX_known_patients_Snils",
                table: "known_patients",
                newName: "ix_known_patients_snils");

            migrationBuilder.RenameColumn(
                name: "Response",
                table: "idempotent_requests",
                newName: "response");

            migrationBuilder.RenameColumn(
                name: "Location",
                table: "idempotent_requests",
                newName: "location");

            migrationBuilder.RenameColumn(
                name: "Key",
                table: "idempotent_requests",
                newName: "key");

            migrationBuilder.RenameColumn(
                name: "StatusCode",
                table: "idempotent_requests",
                newName: "status_code");

            migrationBuilder.RenameColumn(
                name: "RequestHash",
                table: "idempotent_requests",
                newName: "request_hash");

            migrationBuilder.RenameColumn(
                name: "CreatedAt",
                table: "idempotent_requests",
                newName: "created_at");

            migrationBuilder.RenameColumn(
                name: "OwnerId",
                table: "idempotent_requests",
                newName: "owner_id");

            migrationBuilder.RenameIndex(
                name: "IX_idempotent_requests_CreatedAt",
                table: "idempotent_requests",
                newName: "ix_idempotent_requests_created_at");

            migrationBuilder.RenameColumn(
                name: "Active",
                table: "doctors",
                newName: "active");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "doctors",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "UpdatedAt",
                table: "doctors",
                newName: "updated_at");

            migrationBuilder.RenameColumn(
                name: "SpecialtyCode",
                table: "doctors",
                newName: "specialty_code");

            migrationBuilder.RenameColumn(
                name: "OrganizationId",
                table: "doctors",
                newName: "organization_id");

            migrationBuilder.RenameColumn(
                name: "MiddleName",
                table: "doctors",
                newName: "middle_name");

            migrationBuilder.RenameColumn(
                name: "GivenName",
                table: "doctors",
                newName: "given_name");

            migrationBuilder.RenameColumn(
                name: "FamilyName",
                table: "doctors",
                newName: "family_name");

            migrationBuilder.RenameColumn(
                name: "ExternalId",
                table: "doctors",
                newName: "external_id");

            migrationBuilder.RenameColumn(
                name: "DepartmentId",
                table: "doctors",
                newName: "department_id");

            migrationBuilder.RenameColumn(
                name: "AccountId",
                table: "doctors",
                newName: "account_id");

            migrationBuilder.RenameIndex(
                name: "IX_doctors_OrganizationId_ExternalId",
                table: "doctors",
                newName: "ix_doctors_organization_id_external_id");

            migrationBuilder.RenameIndex(
                name: "IX_doctors_AccountId",
                table: "doctors",
                newName: "ix_doctors_account_id");

            migrationBuilder.RenameColumn(
                name: "Phone",
                table: "departments",
                newName: "phone");

            migrationBuilder.RenameColumn(
                name: "Name",
                table: "departments",
                newName: "name");

            migrationBuilder.RenameColumn(
                name: "Address",
                table: "departments",
                newName: "address");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "departments",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "UpdatedAt",
                table: "departments",
                newName: "updated_at");

            migrationBuilder.RenameColumn(
                name: "OrganizationId",
                table: "departments",
                newName: "organization_id");

            migrationBuilder.RenameColumn(
                name: "ExternalId",
                table: "departments",
                newName: "external_id");

            migrationBuilder.RenameIndex(
                name: "IX_departments_OrganizationId_ExternalId",
                table: "departments",
                newName: "ix_departments_organization_id_external_id");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "attachments",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "UpdatedAt",
                table: "attachments",
                newName: "updated_at");

            migrationBuilder.RenameColumn(
                name: "RequestId",
                table: "attachments",
                newName: "request_id");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "attachments",
                newName: "patient_id");

            migrationBuilder.RenameColumn(
                name: "OrganizationId",
                table: "attachments",
                newName: "organization_id");

            migrationBuilder.RenameColumn(
                name: "ExternalId",
                table: "attachments",
                newName: "external_id");

            migrationBuilder.RenameColumn(
                name: "DetachedOn",
                table: "attachments",
                newName: "detached_on");

            migrationBuilder.RenameColumn(
                name: "AttachedOn",
                table: "attachments",
                newName: "attached_on");

            migrationBuilder.RenameIndex(
                name: "IX_attachments_PatientId_AttachedOn",
                table: "attachments",
                newName: "ix_attachments_patient_id_attached_on");

            migrationBuilder.RenameIndex(
                name: "IX_attachments_OrganizationId_ExternalId",
                table: "attachments",
                newName: "ix_attachments_organization_id_external_id");

            migrationBuilder.RenameColumn(
                name: "Status",
                table: "attachment_requests",
                newName: "status");

            migrationBuilder.RenameColumn(
                name: "Reason",
                table: "attachment_requests",
                newName: "reason");

            migrationBuilder.RenameColumn(
                name: "Answer",
                table: "attachment_requests",
                newName: "answer");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "attachment_requests",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "UpdatedAt",
                table: "attachment_requests",
                newName: "updated_at");

            migrationBuilder.RenameColumn(
                name: "SubmittedBy",
                table: "attachment_requests",
                newName: "submitted_by");

            migrationBuilder.RenameColumn(
                name: "SubmittedAt",
                table: "attachment_requests",
                newName: "submitted_at");

            migrationBuilder.RenameColumn(
                name: "ResidenceAddress",
                table: "attachment_requests",
                newName: "residence_address");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "attachment_requests",
                newName: "patient_id");

            migrationBuilder.RenameColumn(
                name: "OrganizationId",
                table: "attachment_requests",
                newName: "organization_id");

            migrationBuilder.RenameColumn(
                name: "IdempotencyKey",
                table: "attachment_requests",
                newName: "idempotency_key");

            migrationBuilder.RenameColumn(
                name: "AnsweredAt",
                table: "attachment_requests",
                newName: "answered_at");

            migrationBuilder.RenameIndex(
                name: "IX_attachment_requests_PatientId_SubmittedAt",
                table: "attachment_requests",
                newName: "ix_attachment_requests_patient_id_submitted_at");

            migrationBuilder.RenameIndex(
                name: "IX_attachment_requests_PatientId_IdempotencyKey",
                table: "attachment_requests",
                newName: "ix_attachment_requests_patient_id_idempotency_key");

            migrationBuilder.RenameIndex(
                name: "IX_attachment_requests_OrganizationId_Status_SubmittedAt",
                table: "attachment_requests",
                newName: "ix_attachment_requests_organization_id_status_submitted_at");

            migrationBuilder.RenameColumn(
                name: "Telemedicine",
                table: "appointments",
                newName: "telemedicine");

            migrationBuilder.RenameColumn(
                name: "Status",
                table: "appointments",
                newName: "status");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "appointments",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "UpdatedAt",
                table: "appointments",
                newName: "updated_at");

            migrationBuilder.RenameColumn(
                name: "StartsAt",
                table: "appointments",
                newName: "starts_at");

            migrationBuilder.RenameColumn(
                name: "SlotId",
                table: "appointments",
                newName: "slot_id");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "appointments",
                newName: "patient_id");

            migrationBuilder.RenameColumn(
                name: "OrganizationId",
                table: "appointments",
                newName: "organization_id");

            migrationBuilder.RenameColumn(
                name: "JoinUrl",
                table: "appointments",
                newName: "join_url");

            migrationBuilder.RenameColumn(
                name: "EndsAt",
                table: "appointments",
                newName: "ends_at");

            migrationBuilder.RenameColumn(
                name: "DoctorId",
                table: "appointments",
                newName: "doctor_id");

            migrationBuilder.RenameColumn(
                name: "CancelledBy",
                table: "appointments",
                newName: "cancelled_by");

            migrationBuilder.RenameColumn(
                name: "CancelledAt",
                table: "appointments",
                newName: "cancelled_at");

            migrationBuilder.RenameColumn(
                name: "CancelReason",
                table: "appointments",
                newName: "cancel_reason");

            migrationBuilder.RenameColumn(
                name: "BookedBy",
                table: "appointments",
                newName: "booked_by");

            migrationBuilder.RenameColumn(
                name: "BookedAt",
                table: "appointments",
                newName: "booked_at");

            migrationBuilder.RenameIndex(
                name: "IX_appointments_PatientId_StartsAt",
                table: "appointments",
                newName: "ix_appointments_patient_id_starts_at");

            migrationBuilder.RenameIndex(
                name: "IX_appointments_DoctorId_StartsAt",
                table: "appointments",
                newName: "ix_appointments_doctor_id_starts_at");

            migrationBuilder.RenameColumn(
                name: "Reason",
                table: "appointment_changes",
                newName: "reason");

            migrationBuilder.RenameColumn(
                name: "Kind",
                table: "appointment_changes",
                newName: "kind");

            migrationBuilder.RenameColumn(
                name: "By",
                table: "appointment_changes",
                newName: "by");

            migrationBuilder.RenameColumn(
                name: "At",
                table: "appointment_changes",
                newName: "at");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "appointment_changes",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "ToStartsAt",
                table: "appointment_changes",
                newName: "to_starts_at");

            migrationBuilder.RenameColumn(
                name: "ToSlotId",
                table: "appointment_changes",
                newName: "to_slot_id");

            migrationBuilder.RenameColumn(
                name: "FromStartsAt",
                table: "appointment_changes",
                newName: "from_starts_at");

            migrationBuilder.RenameColumn(
                name: "FromSlotId",
                table: "appointment_changes",
                newName: "from_slot_id");

            migrationBuilder.RenameColumn(
                name: "ByRole",
                table: "appointment_changes",
                newName: "by_role");

            migrationBuilder.RenameColumn(
                name: "AppointmentId",
                table: "appointment_changes",
                newName: "appointment_id");

            migrationBuilder.RenameIndex(
                name: "IX_appointment_changes_AppointmentId_At",
                table: "appointment_changes",
                newName: "ix_appointment_changes_appointment_id_at");

            migrationBuilder.AddPrimaryKey(
                name: "pk_waitlist_entries",
                table: "waitlist_entries",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_slots",
                table: "slots",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_slot_offers",
                table: "slot_offers",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_organizations",
                table: "organizations",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_known_patients",
                table: "known_patients",
                column: "patient_id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_idempotent_requests",
                table: "idempotent_requests",
                columns: new[] { "owner_id", "key" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_doctors",
                table: "doctors",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_departments",
                table: "departments",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_attachments",
                table: "attachments",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_attachment_requests",
                table: "attachment_requests",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_appointments",
                table: "appointments",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_appointment_changes",
                table: "appointment_changes",
                column: "id");

            migrationBuilder.CreateIndex(
                name: "ix_waitlist_entries_waiting",
                table: "waitlist_entries",
                columns: new[] { "organization_id", "specialty_code", "created_at" },
                filter: "status = 'waiting'");

            migrationBuilder.CreateIndex(
                name: "ix_slots_specialty_code_starts_at",
                table: "slots",
                columns: new[] { "specialty_code", "starts_at" },
                filter: "NOT closed");

            migrationBuilder.CreateIndex(
                name: "ix_slot_offers_open",
                table: "slot_offers",
                column: "expires_at",
                filter: "status = 'open'");

            migrationBuilder.CreateIndex(
                name: "ux_attachments_current",
                table: "attachments",
                column: "patient_id",
                unique: true,
                filter: "detached_on IS NULL");

            migrationBuilder.CreateIndex(
                name: "ux_appointments_booked_slot",
                table: "appointments",
                column: "slot_id",
                unique: true,
                filter: "status = 'booked'");

            migrationBuilder.AddForeignKey(
                name: "fk_appointment_changes_appointments_appointment_id",
                table: "appointment_changes",
                column: "appointment_id",
                principalTable: "appointments",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_appointment_changes_appointments_appointment_id",
                table: "appointment_changes");

            migrationBuilder.DropPrimaryKey(
                name: "pk_waitlist_entries",
                table: "waitlist_entries");

            migrationBuilder.DropIndex(
                name: "ix_waitlist_entries_waiting",
                table: "waitlist_entries");

            migrationBuilder.DropPrimaryKey(
                name: "pk_slots",
                table: "slots");

            migrationBuilder.DropIndex(
                name: "ix_slots_specialty_code_starts_at",
                table: "slots");

            migrationBuilder.DropPrimaryKey(
                name: "pk_slot_offers",
                table: "slot_offers");

            migrationBuilder.DropIndex(
                name: "ix_slot_offers_open",
                table: "slot_offers");

            migrationBuilder.DropPrimaryKey(
                name: "pk_organizations",
                table: "organizations");

            migrationBuilder.DropPrimaryKey(
                name: "pk_known_patients",
                table: "known_patients");

            migrationBuilder.DropPrimaryKey(
                name: "pk_idempotent_requests",
                table: "idempotent_requests");

            migrationBuilder.DropPrimaryKey(
                name: "pk_doctors",
                table: "doctors");

            migrationBuilder.DropPrimaryKey(
                name: "pk_departments",
                table: "departments");

            migrationBuilder.DropPrimaryKey(
                name: "pk_attachments",
                table: "attachments");

            migrationBuilder.DropIndex(
                name: "ux_attachments_current",
                table: "attachments");

            migrationBuilder.DropPrimaryKey(
                name: "pk_attachment_requests",
                table: "attachment_requests");

            migrationBuilder.DropPrimaryKey(
                name: "pk_appointments",
                table: "appointments");

            migrationBuilder.DropIndex(
                name: "ux_appointments_booked_slot",
                table: "appointments");

            migrationBuilder.DropPrimaryKey(
                name: "pk_appointment_changes",
                table: "appointment_changes");

            migrationBuilder.RenameColumn(
                name: "status",
                table: "waitlist_entries",
                newName: "Status");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "waitlist_entries",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "wanted_before",
                table: "waitlist_entries",
                newName: "WantedBefore");

            migrationBuilder.RenameColumn(
                name: "updated_at",
                table: "waitlist_entries",
                newName: "UpdatedAt");

            migrationBuilder.RenameColumn(
                name: "specialty_code",
                table: "waitlist_entries",
                newName: "SpecialtyCode");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "waitlist_entries",
                newName: "PatientId");

            migrationBuilder.RenameColumn(
                name: "organization_id",
                table: "waitlist_entries",
                newName: "OrganizationId");

            migrationBuilder.RenameColumn(
                name: "doctor_id",
                table: "waitlist_entries",
                newName: "DoctorId");

            migrationBuilder.RenameColumn(
                name: "created_by",
                table: "waitlist_entries",
                newName: "CreatedBy");

            migrationBuilder.RenameColumn(
                name: "created_at",
                table: "waitlist_entries",
                newName: "CreatedAt");

            migrationBuilder.RenameColumn(
                name: "appointment_id",
                table: "waitlist_entries",
                newName: "AppointmentId");

            migrationBuilder.RenameIndex(
                name: "ix_waitlist_entries_patient_id_created_at",
                table: "waitlist_entries",
                newName: "IX_waitlist_entries_PatientId_CreatedAt");

            migrationBuilder.RenameColumn(
                name: "telemedicine",
                table: "slots",
                newName: "Telemedicine");

            migrationBuilder.RenameColumn(
                name: "room",
                table: "slots",
                newName: "Room");

            migrationBuilder.RenameColumn(
                name: "closed",
                table: "slots",
                newName: "Closed");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "slots",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "starts_at",
                table: "slots",
                newName: "StartsAt");

            migrationBuilder.RenameColumn(
                name: "specialty_code",
                table: "slots",
                newName: "SpecialtyCode");

            migrationBuilder.RenameColumn(
                name: "organization_id",
                table: "slots",
                newName: "OrganizationId");

            migrationBuilder.RenameColumn(
                name: "held_until",
                table: "slots",
                newName: "HeldUntil");

            migrationBuilder.RenameColumn(
                name: "held_for_offer_id",
                table: "slots",
                newName: "HeldForOfferId");

            migrationBuilder.RenameColumn(
                name: "ends_at",
                table: "slots",
                newName: "EndsAt");

            migrationBuilder.RenameColumn(
                name: "doctor_id",
                table: "slots",
                newName: "DoctorId");

            migrationBuilder.RenameColumn(
                name: "department_id",
                table: "slots",
                newName: "DepartmentId");

            migrationBuilder.RenameColumn(
                name: "created_at",
                table: "slots",
                newName: "CreatedAt");

            migrationBuilder.RenameIndex(
                name: "ix_slots_organization_id_starts_at",
                table: "slots",
                newName: "IX_slots_OrganizationId_StartsAt");

            migrationBuilder.RenameIndex(
                name: "ix_slots_doctor_id_starts_at",
                table: "slots",
                newName: "IX_slots_DoctorId_StartsAt");

            migrationBuilder.RenameColumn(
                name: "status",
                table: "slot_offers",
                newName: "Status");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "slot_offers",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "slot_id",
                table: "slot_offers",
                newName: "SlotId");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "slot_offers",
                newName: "PatientId");

            migrationBuilder.RenameColumn(
                name: "expires_at",
                table: "slot_offers",
                newName: "ExpiresAt");

            migrationBuilder.RenameColumn(
                name: "entry_id",
                table: "slot_offers",
                newName: "EntryId");

            migrationBuilder.RenameColumn(
                name: "created_at",
                table: "slot_offers",
                newName: "CreatedAt");

            migrationBuilder.RenameColumn(
                name: "answered_at",
                table: "slot_offers",
                newName: "AnsweredAt");

            migrationBuilder.RenameIndex(
                name: "ix_slot_offers_slot_id",
                table: "slot_offers",
                newName: "IX_slot_offers_SlotId");

            migrationBuilder.RenameIndex(
                name: "ix_slot_offers_patient_id_created_at",
                table: "slot_offers",
                newName: "IX_slot_offers_PatientId_CreatedAt");

            migrationBuilder.RenameColumn(
                name: "website",
                table: "organizations",
                newName: "Website");

            migrationBuilder.RenameColumn(
                name: "phone",
                table: "organizations",
                newName: "Phone");

            migrationBuilder.RenameColumn(
                name: "name",
                table: "organizations",
                newName: "Name");

            migrationBuilder.RenameColumn(
                name: "kind",
                table: "organizations",
                newName: "Kind");

            migrationBuilder.RenameColumn(
                name: "email",
                table: "organizations",
                newName: "Email");

            migrationBuilder.RenameColumn(
                name: "address",
                table: "organizations",
                newName: "Address");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "organizations",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "updated_at",
                table: "organizations",
                newName: "UpdatedAt");

            migrationBuilder.RenameColumn(
                name: "snils",
                table: "known_patients",
                newName: "Snils");

            migrationBuilder.RenameColumn(
                name: "registered_at",
                table: "known_patients",
                newName: "RegisteredAt");

            migrationBuilder.RenameColumn(
                name: "oms_valid_to",
                table: "known_patients",
                newName: "OmsValidTo");

            migrationBuilder.RenameColumn(
                name: "oms_valid_from",
                table: "known_patients",
                newName: "OmsValidFrom");

            migrationBuilder.RenameColumn(
                name: "oms_changed_at",
                table: "known_patients",
                newName: "OmsChangedAt");

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
                name: "account_level_at",
                table: "known_patients",
                newName: "AccountLevelAt");

            migrationBuilder.RenameColumn(
                name: "account_level",
                table: "known_patients",
                newName: "AccountLevel");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "known_patients",
                newName: "PatientId");

            migrationBuilder.RenameIndex(
                name: "ix_known_patients_snils",
                table: "known_patients",
                newName: "IX_known_patients_Snils");

            migrationBuilder.RenameColumn(
                name: "response",
                table: "idempotent_requests",
                newName: "Response");

            migrationBuilder.RenameColumn(
                name: "location",
                table: "idempotent_requests",
                newName: "Location");

            migrationBuilder.RenameColumn(
                name: "key",
                table: "idempotent_requests",
                newName: "Key");

            migrationBuilder.RenameColumn(
                name: "status_code",
                table: "idempotent_requests",
                newName: "StatusCode");

            migrationBuilder.RenameColumn(
                name: "request_hash",
                table: "idempotent_requests",
                newName: "RequestHash");

            migrationBuilder.RenameColumn(
                name: "created_at",
                table: "idempotent_requests",
                newName: "CreatedAt");

            migrationBuilder.RenameColumn(
                name: "owner_id",
                table: "idempotent_requests",
                newName: "OwnerId");

            migrationBuilder.RenameIndex(
                name: "ix_idempotent_requests_created_at",
                table: "idempotent_requests",
                newName: "IX_idempotent_requests_CreatedAt");

            migrationBuilder.RenameColumn(
                name: "active",
                table: "doctors",
                newName: "Active");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "doctors",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "updated_at",
                table: "doctors",
                newName: "UpdatedAt");

            migrationBuilder.RenameColumn(
                name: "specialty_code",
                table: "doctors",
                newName: "SpecialtyCode");

            migrationBuilder.RenameColumn(
                name: "organization_id",
                table: "doctors",
                newName: "OrganizationId");

            migrationBuilder.RenameColumn(
                name: "middle_name",
                table: "doctors",
                newName: "MiddleName");

            migrationBuilder.RenameColumn(
                name: "given_name",
                table: "doctors",
                newName: "GivenName");

            migrationBuilder.RenameColumn(
                name: "family_name",
                table: "doctors",
                newName: "FamilyName");

            migrationBuilder.RenameColumn(
                name: "external_id",
                table: "doctors",
                newName: "ExternalId");

            migrationBuilder.RenameColumn(
                name: "department_id",
                table: "doctors",
                newName: "DepartmentId");

            migrationBuilder.RenameColumn(
                name: "account_id",
                table: "doctors",
                newName: "AccountId");

            migrationBuilder.RenameIndex(
                name: "ix_doctors_organization_id_external_id",
                table: "doctors",
                newName: "IX_doctors_OrganizationId_ExternalId");

            migrationBuilder.RenameIndex(
                name: "ix_doctors_account_id",
                table: "doctors",
                newName: "IX_doctors_AccountId");

            migrationBuilder.RenameColumn(
                name: "phone",
                table: "departments",
                newName: "Phone");

            migrationBuilder.RenameColumn(
                name: "name",
                table: "departments",
                newName: "Name");

            migrationBuilder.RenameColumn(
                name: "address",
                table: "departments",
                newName: "Address");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "departments",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "updated_at",
                table: "departments",
                newName: "UpdatedAt");

            migrationBuilder.RenameColumn(
                name: "organization_id",
                table: "departments",
                newName: "OrganizationId");

            migrationBuilder.RenameColumn(
                name: "external_id",
                table: "departments",
                newName: "ExternalId");

            migrationBuilder.RenameIndex(
                name: "ix_departments_organization_id_external_id",
                table: "departments",
                newName: "IX_departments_OrganizationId_ExternalId");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "attachments",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "updated_at",
                table: "attachments",
                newName: "UpdatedAt");

            migrationBuilder.RenameColumn(
                name: "request_id",
                table: "attachments",
                newName: "RequestId");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "attachments",
                newName: "PatientId");

            migrationBuilder.RenameColumn(
                name: "organization_id",
                table: "attachments",
                newName: "OrganizationId");

            migrationBuilder.RenameColumn(
                name: "external_id",
                table: "attachments",
                newName: "ExternalId");

            migrationBuilder.RenameColumn(
                name: "detached_on",
                table: "attachments",
                newName: "DetachedOn");

            migrationBuilder.RenameColumn(
                name: "attached_on",
                table: "attachments",
                newName: "AttachedOn");

            migrationBuilder.RenameIndex(
                name: "ix_attachments_patient_id_attached_on",
                table: "attachments",
                newName: "IX_attachments_PatientId_AttachedOn");

            migrationBuilder.RenameIndex(
                name: "ix_attachments_organization_id_external_id",
                table: "attachments",
                newName: "IX_attachments_OrganizationId_ExternalId");

            migrationBuilder.RenameColumn(
                name: "status",
                table: "attachment_requests",
                newName: "Status");

            migrationBuilder.RenameColumn(
                name: "reason",
                table: "attachment_requests",
                newName: "Reason");

            migrationBuilder.RenameColumn(
                name: "answer",
                table: "attachment_requests",
                newName: "Answer");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "attachment_requests",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "updated_at",
                table: "attachment_requests",
                newName: "UpdatedAt");

            migrationBuilder.RenameColumn(
                name: "submitted_by",
                table: "attachment_requests",
                newName: "SubmittedBy");

            migrationBuilder.RenameColumn(
                name: "submitted_at",
                table: "attachment_requests",
                newName: "SubmittedAt");

            migrationBuilder.RenameColumn(
                name: "residence_address",
                table: "attachment_requests",
                newName: "ResidenceAddress");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "attachment_requests",
                newName: "PatientId");

            migrationBuilder.RenameColumn(
                name: "organization_id",
                table: "attachment_requests",
                newName: "OrganizationId");

            migrationBuilder.RenameColumn(
                name: "idempotency_key",
                table: "attachment_requests",
                newName: "IdempotencyKey");

            migrationBuilder.RenameColumn(
                name: "answered_at",
                table: "attachment_requests",
                newName: "AnsweredAt");

            migrationBuilder.RenameIndex(
                name: "ix_attachment_requests_patient_id_submitted_at",
                table: "attachment_requests",
                newName: "IX_attachment_requests_PatientId_SubmittedAt");

            migrationBuilder.RenameIndex(
                name: "ix_attachment_requests_patient_id_idempotency_key",
                table: "attachment_requests",
                newName: "IX_attachment_requests_PatientId_IdempotencyKey");

            migrationBuilder.RenameIndex(
                name: "ix_attachment_requests_organization_id_status_submitted_at",
                table: "attachment_requests",
                newName: "IX_attachment_requests_OrganizationId_Status_SubmittedAt");

            migrationBuilder.RenameColumn(
                name: "telemedicine",
                table: "appointments",
                newName: "Telemedicine");

            migrationBuilder.RenameColumn(
                name: "status",
                table: "appointments",
                newName: "Status");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "appointments",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "updated_at",
                table: "appointments",
                newName: "UpdatedAt");

            migrationBuilder.RenameColumn(
                name: "starts_at",
                table: "appointments",
                newName: "StartsAt");

            migrationBuilder.RenameColumn(
                name: "slot_id",
                table: "appointments",
                newName: "SlotId");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "appointments",
                newName: "PatientId");

            migrationBuilder.RenameColumn(
                name: "organization_id",
                table: "appointments",
                newName: "OrganizationId");

            migrationBuilder.RenameColumn(
                name: "join_url",
                table: "appointments",
                newName: "JoinUrl");

            migrationBuilder.RenameColumn(
                name: "ends_at",
                table: "appointments",
                newName: "EndsAt");

            migrationBuilder.RenameColumn(
                name: "doctor_id",
                table: "appointments",
                newName: "DoctorId");

            migrationBuilder.RenameColumn(
                name: "cancelled_by",
                table: "appointments",
                newName: "CancelledBy");

            migrationBuilder.RenameColumn(
                name: "cancelled_at",
                table: "appointments",
                newName: "CancelledAt");

            migrationBuilder.RenameColumn(
                name: "cancel_reason",
                table: "appointments",
                newName: "CancelReason");

            migrationBuilder.RenameColumn(
                name: "booked_by",
                table: "appointments",
                newName: "BookedBy");

            migrationBuilder.RenameColumn(
                name: "booked_at",
                table: "appointments",
                newName: "BookedAt");

            migrationBuilder.RenameIndex(
                name: "ix_appointments_patient_id_starts_at",
                table: "appointments",
                newName: "IX_appointments_PatientId_StartsAt");

            migrationBuilder.RenameIndex(
                name: "ix_appointments_doctor_id_starts_at",
                table: "appointments",
                newName: "IX_appointments_DoctorId_StartsAt");

            migrationBuilder.RenameColumn(
                name: "reason",
                table: "appointment_changes",
                newName: "Reason");

            migrationBuilder.RenameColumn(
                name: "kind",
                table: "appointment_changes",
                newName: "Kind");

            migrationBuilder.RenameColumn(
                name: "by",
                table: "appointment_changes",
                newName: "By");

            migrationBuilder.RenameColumn(
                name: "at",
                table: "appointment_changes",
                newName: "At");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "appointment_changes",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "to_starts_at",
                table: "appointment_changes",
                newName: "ToStartsAt");

            migrationBuilder.RenameColumn(
                name: "to_slot_id",
                table: "appointment_changes",
                newName: "ToSlotId");

            migrationBuilder.RenameColumn(
                name: "from_starts_at",
                table: "appointment_changes",
                newName: "FromStartsAt");

            migrationBuilder.RenameColumn(
                name: "from_slot_id",
                table: "appointment_changes",
                newName: "FromSlotId");

            migrationBuilder.RenameColumn(
                name: "by_role",
                table: "appointment_changes",
                newName: "ByRole");

            migrationBuilder.RenameColumn(
                name: "appointment_id",
                table: "appointment_changes",
                newName: "AppointmentId");

            migrationBuilder.RenameIndex(
                name: "ix_appointment_changes_appointment_id_at",
                table: "appointment_changes",
                newName: "IX_appointment_changes_AppointmentId_At");

            migrationBuilder.AddPrimaryKey(
                name: "PK_waitlist_entries",
                table: "waitlist_entries",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_slots",
                table: "slots",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_slot_offers",
                table: "slot_offers",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_organizations",
                table: "organizations",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_known_patients",
                table: "known_patients",
                column: "PatientId");

            migrationBuilder.AddPrimaryKey(
                name: "PK_idempotent_requests",
                table: "idempotent_requests",
                columns: new[] { "OwnerId", "Key" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_doctors",
                table: "doctors",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_departments",
                table: "departments",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_attachments",
                table: "attachments",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_attachment_requests",
                table: "attachment_requests",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_appointments",
                table: "appointments",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_appointment_changes",
                table: "appointment_changes",
                column: "Id");

            migrationBuilder.CreateIndex(
                name: "ix_waitlist_entries_waiting",
                table: "waitlist_entries",
                columns: new[] { "OrganizationId", "SpecialtyCode", "CreatedAt" },
                filter: "\"Status\" = 'waiting'");

            migrationBuilder.CreateIndex(
                name: "IX_slots_SpecialtyCode_StartsAt",
                table: "slots",
                columns: new[] { "SpecialtyCode", "StartsAt" },
                filter: "NOT \"Closed\"");

            migrationBuilder.CreateIndex(
                name: "ix_slot_offers_open",
                table: "slot_offers",
                column: "ExpiresAt",
                filter: "\"Status\" = 'open'");

            migrationBuilder.CreateIndex(
                name: "ux_attachments_current",
                table: "attachments",
                column: "PatientId",
                unique: true,
                filter: "\"DetachedOn\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "ux_appointments_booked_slot",
                table: "appointments",
                column: "SlotId",
                unique: true,
                filter: "\"Status\" = 'booked'");

            migrationBuilder.AddForeignKey(
                name: "FK_appointment_changes_appointments_AppointmentId",
                table: "appointment_changes",
                column: "AppointmentId",
                principalTable: "appointments",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
