using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Disputes.Data.Migrations
{
    /// <inheritdoc />
    public partial class SnakeCaseNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_data_request_status_changes_data_requests_RequestId",
                table: "data_request_status_changes");

            migrationBuilder.DropPrimaryKey(
                name: "PK_data_requests",
                table: "data_requests");

            migrationBuilder.DropIndex(
                name: "IX_data_requests_open_due",
                table: "data_requests");

            migrationBuilder.DropPrimaryKey(
                name: "PK_data_request_status_changes",
                table: "data_request_status_changes");

            migrationBuilder.RenameColumn(
                name: "Status",
                table: "data_requests",
                newName: "status");

            migrationBuilder.RenameColumn(
                name: "Comment",
                table: "data_requests",
                newName: "comment");

            migrationBuilder.RenameColumn(
                name: "Answer",
                table: "data_requests",
                newName: "answer");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "data_requests",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "UpdatedAt",
                table: "data_requests",
                newName: "updated_at");

            migrationBuilder.RenameColumn(
                name: "SubmittedAt",
                table: "data_requests",
                newName: "submitted_at");

            migrationBuilder.RenameColumn(
                name: "PeriodTo",
                table: "data_requests",
                newName: "period_to");

            migrationBuilder.RenameColumn(
                name: "PeriodFrom",
                table: "data_requests",
                newName: "period_from");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "data_requests",
                newName: "patient_id");

            migrationBuilder.RenameColumn(
                name: "OrganizationName",
                table: "data_requests",
                newName: "organization_name");

            migrationBuilder.RenameColumn(
                name: "OrganizationId",
                table: "data_requests",
                newName: "organization_id");

            migrationBuilder.RenameColumn(
                name: "IdempotencyKey",
                table: "data_requests",
                newName: "idempotency_key");

            migrationBuilder.RenameColumn(
                name: "DueAt",
                table: "data_requests",
                newName: "due_at");

            migrationBuilder.RenameColumn(
                name: "DataKind",
                table: "data_requests",
                newName: "data_kind");

            migrationBuilder.RenameColumn(
                name: "AnsweredBy",
                table: "data_requests",
                newName: "answered_by");

            migrationBuilder.RenameColumn(
                name: "AnsweredAt",
                table: "data_requests",
                newName: "answered_at");

            migrationBuilder.RenameIndex(
                name: "IX_data_requests_PatientId_SubmittedAt",
                table: "data_requests",
                newName: "ix_data_requests_patient_id_submitted_at");

            migrationBuilder.RenameIndex(
                name: "IX_data_requests_PatientId_IdempotencyKey",
                table: "data_requests",
                newName: "ix_data_requests_patient_id_idempotency_key");

            migrationBuilder.RenameIndex(
                name: "IX_data_requests_OrganizationId_Status_SubmittedAt",
                table: "data_requests",
                newName: "ix_data_requests_organization_id_status_submitted_at");

            migrationBuilder.RenameColumn(
                name: "Status",
                table: "data_request_status_changes",
                newName: "status");

            migrationBuilder.RenameColumn(
                name: "Note",
                table: "data_request_status_changes",
                newName: "note");

            migrationBuilder.RenameColumn(
                name: "By",
                table: "data_request_status_changes",
                newName: "by");

            migrationBuilder.RenameColumn(
                name: "At",
                table: "data_request_status_changes",
                newName: "at");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "data_request_status_changes",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "RequestId",
                table: "data_request_status_changes",
                newName: "request_id");

            migrationBuilder.RenameColumn(
                name: "ByRole",
                table: "data_request_status_changes",
                newName: "by_role");

            migrationBuilder.RenameIndex(
                name: "IX_data_request_status_changes_RequestId_At",
                table: "data_request_status_changes",
                newName: "ix_data_request_status_changes_request_id_at");

            migrationBuilder.AddPrimaryKey(
                name: "pk_data_requests",
                table: "data_requests",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_data_request_status_changes",
                table: "data_request_status_changes",
                column: "id");

            migrationBuilder.CreateIndex(
                name: "ix_data_requests_open_due",
                table: "data_requests",
                column: "due_at",
                filter: "status IN ('submitted', 'in_progress')");

            migrationBuilder.AddForeignKey(
                name: "fk_data_request_status_changes_data_requests_request_id",
                table: "data_request_status_changes",
                column: "request_id",
                principalTable: "data_requests",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_data_request_status_changes_data_requests_request_id",
                table: "data_request_status_changes");

            migrationBuilder.DropPrimaryKey(
                name: "pk_data_requests",
                table: "data_requests");

            migrationBuilder.DropIndex(
                name: "ix_data_requests_open_due",
                table: "data_requests");

            migrationBuilder.DropPrimaryKey(
                name: "pk_data_request_status_changes",
                table: "data_request_status_changes");

            migrationBuilder.RenameColumn(
                name: "status",
                table: "data_requests",
                newName: "Status");

            migrationBuilder.RenameColumn(
                name: "comment",
                table: "data_requests",
                newName: "Comment");

            migrationBuilder.RenameColumn(
                name: "answer",
                table: "data_requests",
                newName: "Answer");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "data_requests",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "updated_at",
                table: "data_requests",
                newName: "UpdatedAt");

            migrationBuilder.RenameColumn(
                name: "submitted_at",
                table: "data_requests",
                newName: "SubmittedAt");

            migrationBuilder.RenameColumn(
                name: "period_to",
                table: "data_requests",
                newName: "PeriodTo");

            migrationBuilder.RenameColumn(
                name: "period_from",
                table: "data_requests",
                newName: "PeriodFrom");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "data_requests",
                newName: "PatientId");

            migrationBuilder.RenameColumn(
                name: "organization_name",
                table: "data_requests",
                newName: "OrganizationName");

            migrationBuilder.RenameColumn(
                name: "organization_id",
                table: "data_requests",
                newName: "OrganizationId");

            migrationBuilder.RenameColumn(
                name: "idempotency_key",
                table: "data_requests",
                newName: "IdempotencyKey");

            migrationBuilder.RenameColumn(
                name: "due_at",
                table: "data_requests",
                newName: "DueAt");

            migrationBuilder.RenameColumn(
                name: "data_kind",
                table: "data_requests",
                newName: "DataKind");

            migrationBuilder.RenameColumn(
                name: "answered_by",
                table: "data_requests",
                newName: "AnsweredBy");

            migrationBuilder.RenameColumn(
                name: "answered_at",
                table: "data_requests",
                newName: "AnsweredAt");

            migrationBuilder.RenameIndex(
                name: "ix_data_requests_patient_id_submitted_at",
                table: "data_requests",
                newName: "IX_data_requests_PatientId_SubmittedAt");

            migrationBuilder.RenameIndex(
                name: "ix_data_requests_patient_id_idempotency_key",
                table: "data_requests",
                newName: "IX_data_requests_PatientId_IdempotencyKey");

            migrationBuilder.RenameIndex(
                name: "ix_data_requests_organization_id_status_submitted_at",
                table: "data_requests",
                newName: "IX_data_requests_OrganizationId_Status_SubmittedAt");

            migrationBuilder.RenameColumn(
                name: "status",
                table: "data_request_status_changes",
                newName: "Status");

            migrationBuilder.RenameColumn(
                name: "note",
                table: "data_request_status_changes",
                newName: "Note");

            migrationBuilder.RenameColumn(
                name: "by",
                table: "data_request_status_changes",
                newName: "By");

            migrationBuilder.RenameColumn(
                name: "at",
                table: "data_request_status_changes",
                newName: "At");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "data_request_status_changes",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "request_id",
                table: "data_request_status_changes",
                newName: "RequestId");

            migrationBuilder.RenameColumn(
                name: "by_role",
                table: "data_request_status_changes",
                newName: "ByRole");

            migrationBuilder.RenameIndex(
                name: "ix_data_request_status_changes_request_id_at",
                table: "data_request_status_changes",
                newName: "IX_data_request_status_changes_RequestId_At");

            migrationBuilder.AddPrimaryKey(
                name: "PK_data_requests",
                table: "data_requests",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_data_request_status_changes",
                table: "data_request_status_changes",
                column: "Id");

            migrationBuilder.CreateIndex(
                name: "IX_data_requests_open_due",
                table: "data_requests",
                column: "DueAt",
                filter: "\"Status\" IN ('submitted', 'in_progress')");

            migrationBuilder.AddForeignKey(
                name: "FK_data_request_status_changes_data_requests_RequestId",
                table: "data_request_status_changes",
                column: "RequestId",
                principalTable: "data_requests",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
