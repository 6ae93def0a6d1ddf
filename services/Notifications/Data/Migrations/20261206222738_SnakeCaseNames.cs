using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class SnakeCaseNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_recipients",
                table: "recipients");

            migrationBuilder.DropPrimaryKey(
                name: "PK_push_devices",
                table: "push_devices");

            migrationBuilder.DropPrimaryKey(
                name: "PK_notifications",
                table: "notifications");

            migrationBuilder.DropIndex(
                name: "IX_notifications_unread",
                table: "notifications");

            migrationBuilder.DropPrimaryKey(
                name: "PK_deliveries",
                table: "deliveries");

            migrationBuilder.DropIndex(
                name: "ix_deliveries_pending",
                table: "deliveries");

            migrationBuilder.DropPrimaryKey(
                name: "PK_delegations",
                table: "delegations");

            migrationBuilder.DropPrimaryKey(
                name: "PK_channel_preferences",
                table: "channel_preferences");

            migrationBuilder.DropPrimaryKey(
                name: "PK_appointment_reminders",
                table: "appointment_reminders");

            migrationBuilder.DropIndex(
                name: "ix_appointment_reminders_pending",
                table: "appointment_reminders");

            migrationBuilder.RenameColumn(
                name: "Phone",
                table: "recipients",
                newName: "phone");

            migrationBuilder.RenameColumn(
                name: "Email",
                table: "recipients",
                newName: "email");

            migrationBuilder.RenameColumn(
                name: "UpdatedAt",
                table: "recipients",
                newName: "updated_at");

            migrationBuilder.RenameColumn(
                name: "QuietTo",
                table: "recipients",
                newName: "quiet_to");

            migrationBuilder.RenameColumn(
                name: "QuietFrom",
                table: "recipients",
                newName: "quiet_from");

            migrationBuilder.RenameColumn(
                name: "ContactsChangedAt",
                table: "recipients",
                newName: "contacts_changed_at");

            migrationBuilder.RenameColumn(
                name: "PersonId",
                table: "recipients",
                newName: "person_id");

            migrationBuilder.RenameColumn(
                name: "Token",
                table: "push_devices",
                newName: "token");

            migrationBuilder.RenameColumn(
                name: "Platform",
                table: "push_devices",
                newName: "platform");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "push_devices",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "RegisteredAt",
                table: "push_devices",
                newName: "registered_at");

            migrationBuilder.RenameColumn(
                name: "PersonId",
                table: "push_devices",
                newName: "person_id");

            migrationBuilder.RenameIndex(
                name: "IX_push_devices_PersonId_Token",
                table: "push_devices",
                newName: "ix_push_devices_person_id_token");

            migrationBuilder.RenameColumn(
                name: "Title",
                table: "notifications",
                newName: "title");

            migrationBuilder.RenameColumn(
                name: "Link",
                table: "notifications",
                newName: "link");

            migrationBuilder.RenameColumn(
                name: "Category",
                table: "notifications",
                newName: "category");

            migrationBuilder.RenameColumn(
                name: "Body",
                table: "notifications",
                newName: "body");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "notifications",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "SourceId",
                table: "notifications",
                newName: "source_id");

            migrationBuilder.RenameColumn(
                name: "ReadAt",
                table: "notifications",
                newName: "read_at");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "notifications",
                newName: "patient_id");

            migrationBuilder.RenameColumn(
                name: "CreatedAt",
                table: "notifications",
                newName: "created_at");

            migrationBuilder.RenameIndex(
                name: "IX_notifications_PatientId_CreatedAt_Id",
                table: "notifications",
                newName: "ix_notifications_patient_id_created_at_id");

            migrationBuilder.RenameIndex(
                name: "IX_notifications_Category_SourceId",
                table: "notifications",
                newName: "ix_notifications_category_source_id");

            migrationBuilder.RenameColumn(
                name: "Text",
                table: "deliveries",
                newName: "text");

            migrationBuilder.RenameColumn(
                name: "Subject",
                table: "deliveries",
                newName: "subject");

            migrationBuilder.RenameColumn(
                name: "Status",
                table: "deliveries",
                newName: "status");

            migrationBuilder.RenameColumn(
                name: "Destination",
                table: "deliveries",
                newName: "destination");

            migrationBuilder.RenameColumn(
                name: "Channel",
                table: "deliveries",
                newName: "channel");

            migrationBuilder.RenameColumn(
                name: "Attempts",
                table: "deliveries",
                newName: "attempts");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "deliveries",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "SentAt",
                table: "deliveries",
                newName: "sent_at");

            migrationBuilder.RenameColumn(
                name: "RecipientId",
                table: "deliveries",
                newName: "recipient_id");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "deliveries",
                newName: "patient_id");

            migrationBuilder.RenameColumn(
                name: "NotificationId",
                table: "deliveries",
                newName: "notification_id");

            migrationBuilder.RenameColumn(
                name: "NotBefore",
                table: "deliveries",
                newName: "not_before");

            migrationBuilder.RenameColumn(
                name: "LastError",
                table: "deliveries",
                newName: "last_error");

            migrationBuilder.RenameColumn(
                name: "CreatedAt",
                table: "deliveries",
                newName: "created_at");

            migrationBuilder.RenameIndex(
                name: "IX_deliveries_RecipientId_CreatedAt",
                table: "deliveries",
                newName: "ix_deliveries_recipient_id_created_at");

            migrationBuilder.RenameIndex(
                name: "IX_deliveries_NotificationId",
                table: "deliveries",
                newName: "ix_deliveries_notification_id");

            migrationBuilder.RenameColumn(
                name: "Scope",
                table: "delegations",
                newName: "scope");

            migrationBuilder.RenameColumn(
                name: "ValidTo",
                table: "delegations",
                newName: "valid_to");

            migrationBuilder.RenameColumn(
                name: "ValidFrom",
                table: "delegations",
                newName: "valid_from");

            migrationBuilder.RenameColumn(
                name: "RevokedAt",
                table: "delegations",
                newName: "revoked_at");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "delegations",
                newName: "patient_id");

            migrationBuilder.RenameColumn(
                name: "ActorId",
                table: "delegations",
                newName: "actor_id");

            migrationBuilder.RenameColumn(
                name: "DelegationId",
                table: "delegations",
                newName: "delegation_id");

            migrationBuilder.RenameIndex(
                name: "IX_delegations_PatientId",
                table: "delegations",
                newName: "ix_delegations_patient_id");

            migrationBuilder.RenameColumn(
                name: "Enabled",
                table: "channel_preferences",
                newName: "enabled");

            migrationBuilder.RenameColumn(
                name: "Channel",
                table: "channel_preferences",
                newName: "channel");

            migrationBuilder.RenameColumn(
                name: "Category",
                table: "channel_preferences",
                newName: "category");

            migrationBuilder.RenameColumn(
                name: "UpdatedAt",
                table: "channel_preferences",
                newName: "updated_at");

            migrationBuilder.RenameColumn(
                name: "PersonId",
                table: "channel_preferences",
                newName: "person_id");

            migrationBuilder.RenameColumn(
                name: "Status",
                table: "appointment_reminders",
                newName: "status");

            migrationBuilder.RenameColumn(
                name: "Kind",
                table: "appointment_reminders",
                newName: "kind");

            migrationBuilder.RenameColumn(
                name: "Appointment",
                table: "appointment_reminders",
                newName: "appointment");

            migrationBuilder.RenameColumn(
                name: "Id",
                table: "appointment_reminders",
                newName: "id");

            migrationBuilder.RenameColumn(
                name: "UpdatedAt",
                table: "appointment_reminders",
                newName: "updated_at");

            migrationBuilder.RenameColumn(
                name: "StartsAt",
                table: "appointment_reminders",
                newName: "starts_at");

            migrationBuilder.RenameColumn(
                name: "SentAt",
                table: "appointment_reminders",
                newName: "sent_at");

            migrationBuilder.RenameColumn(
                name: "PatientId",
                table: "appointment_reminders",
                newName: "patient_id");

            migrationBuilder.RenameColumn(
                name: "DueAt",
                table: "appointment_reminders",
                newName: "due_at");

            migrationBuilder.RenameColumn(
                name: "AppointmentId",
                table: "appointment_reminders",
                newName: "appointment_id");

            migrationBuilder.RenameIndex(
                name: "IX_appointment_reminders_AppointmentId_Kind",
                table: "appointment_reminders",
                newName: "ix_appointment_reminders_appointment_id_kind");

            migrationBuilder.AddPrimaryKey(
                name: "pk_recipients",
                table: "recipients",
                column: "person_id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_push_devices",
                table: "push_devices",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_notifications",
                table: "notifications",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_deliveries",
                table: "deliveries",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_delegations",
                table: "delegations",
                column: "delegation_id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_channel_preferences",
                table: "channel_preferences",
                columns: new[] { "person_id", "category", "channel" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_appointment_reminders",
                table: "appointment_reminders",
                column: "id");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_unread",
                table: "notifications",
                column: "patient_id",
                filter: "read_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_pending",
                table: "deliveries",
                column: "not_before",
                filter: "status = 'pending'");

            migrationBuilder.CreateIndex(
                name: "ix_appointment_reminders_pending",
                table: "appointment_reminders",
                column: "due_at",
                filter: "status = 'pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_recipients",
                table: "recipients");

            migrationBuilder.DropPrimaryKey(
                name: "pk_push_devices",
                table: "push_devices");

            migrationBuilder.DropPrimaryKey(
                name: "pk_notifications",
                table: "notifications");

            migrationBuilder.DropIndex(
                name: "ix_notifications_unread",
                table: "notifications");

            migrationBuilder.DropPrimaryKey(
                name: "pk_deliveries",
                table: "deliveries");

            migrationBuilder.DropIndex(
                name: "ix_deliveries_pending",
                table: "deliveries");

            migrationBuilder.DropPrimaryKey(
                name: "pk_delegations",
                table: "delegations");

            migrationBuilder.DropPrimaryKey(
                name: "pk_channel_preferences",
                table: "channel_preferences");

            migrationBuilder.DropPrimaryKey(
                name: "pk_appointment_reminders",
                table: "appointment_reminders");

            migrationBuilder.DropIndex(
                name: "ix_appointment_reminders_pending",
                table: "appointment_reminders");

            migrationBuilder.RenameColumn(
                name: "phone",
                table: "recipients",
                newName: "Phone");

            migrationBuilder.RenameColumn(
                name: "email",
                table: "recipients",
                newName: "Email");

            migrationBuilder.RenameColumn(
                name: "updated_at",
                table: "recipients",
                newName: "UpdatedAt");

            migrationBuilder.RenameColumn(
                name: "quiet_to",
                table: "recipients",
                newName: "QuietTo");

            migrationBuilder.RenameColumn(
                name: "quiet_from",
                table: "recipients",
                newName: "QuietFrom");

            migrationBuilder.RenameColumn(
                name: "contacts_changed_at",
                table: "recipients",
                newName: "ContactsChangedAt");

            migrationBuilder.RenameColumn(
                name: "person_id",
                table: "recipients",
                newName: "PersonId");

            migrationBuilder.RenameColumn(
                name: "token",
                table: "push_devices",
                newName: "Token");

            migrationBuilder.RenameColumn(
                name: "platform",
                table: "push_devices",
                newName: "Platform");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "push_devices",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "registered_at",
                table: "push_devices",
                newName: "RegisteredAt");

            migrationBuilder.RenameColumn(
                name: "person_id",
                table: "push_devices",
                newName: "PersonId");

            migrationBuilder.RenameIndex(
                name: "ix_push_devices_person_id_token",
                table: "push_devices",
                newName: "IX_push_devices_PersonId_Token");

            migrationBuilder.RenameColumn(
                name: "title",
                table: "notifications",
                newName: "Title");

            migrationBuilder.RenameColumn(
                name: "link",
                table: "notifications",
                newName: "Link");

            migrationBuilder.RenameColumn(
                name: "category",
                table: "notifications",
                newName: "Category");

            migrationBuilder.RenameColumn(
                name: "body",
                table: "notifications",
                newName: "Body");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "notifications",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "source_id",
                table: "notifications",
                newName: "SourceId");

            migrationBuilder.RenameColumn(
                name: "read_at",
                table: "notifications",
                newName: "ReadAt");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "notifications",
                newName: "PatientId");

            migrationBuilder.RenameColumn(
                name: "created_at",
                table: "notifications",
                newName: "CreatedAt");

            migrationBuilder.RenameIndex(
                name: "ix_notifications_patient_id_created_at_id",
                table: "notifications",
                newName: "IX_notifications_PatientId_CreatedAt_Id");

            migrationBuilder.RenameIndex(
                name: "ix_notifications_category_source_id",
                table: "notifications",
                newName: "IX_notifications_Category_SourceId");

            migrationBuilder.RenameColumn(
                name: "text",
                table: "deliveries",
                newName: "Text");

            migrationBuilder.RenameColumn(
                name: "subject",
                table: "deliveries",
                newName: "Subject");

            migrationBuilder.RenameColumn(
                name: "status",
                table: "deliveries",
                newName: "Status");

            migrationBuilder.RenameColumn(
                name: "destination",
                table: "deliveries",
                newName: "Destination");

            migrationBuilder.RenameColumn(
                name: "channel",
                table: "deliveries",
                newName: "Channel");

            migrationBuilder.RenameColumn(
                name: "attempts",
                table: "deliveries",
                newName: "Attempts");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "deliveries",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "sent_at",
                table: "deliveries",
                newName: "SentAt");

            migrationBuilder.RenameColumn(
                name: "recipient_id",
                table: "deliveries",
                newName: "RecipientId");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "deliveries",
                newName: "PatientId");

            migrationBuilder.RenameColumn(
                name: "notification_id",
                table: "deliveries",
                newName: "NotificationId");

            migrationBuilder.RenameColumn(
                name: "not_before",
                table: "deliveries",
                newName: "NotBefore");

            migrationBuilder.RenameColumn(
                name: "last_error",
                table: "deliveries",
                newName: "LastError");

            migrationBuilder.RenameColumn(
                name: "created_at",
                table: "deliveries",
                newName: "CreatedAt");

            migrationBuilder.RenameIndex(
                name: "ix_deliveries_recipient_id_created_at",
                table: "deliveries",
                newName: "IX_deliveries_RecipientId_CreatedAt");

            migrationBuilder.RenameIndex(
                name: "ix_deliveries_notification_id",
                table: "deliveries",
                newName: "IX_deliveries_NotificationId");

            migrationBuilder.RenameColumn(
                name: "scope",
                table: "delegations",
                newName: "Scope");

            migrationBuilder.RenameColumn(
                name: "valid_to",
                table: "delegations",
                newName: "ValidTo");

            migrationBuilder.RenameColumn(
                name: "valid_from",
                table: "delegations",
                newName: "ValidFrom");

            migrationBuilder.RenameColumn(
                name: "revoked_at",
                table: "delegations",
                newName: "RevokedAt");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "delegations",
                newName: "PatientId");

            migrationBuilder.RenameColumn(
                name: "actor_id",
                table: "delegations",
                newName: "ActorId");

            migrationBuilder.RenameColumn(
                name: "delegation_id",
                table: "delegations",
                newName: "DelegationId");

            migrationBuilder.RenameIndex(
                name: "ix_delegations_patient_id",
                table: "delegations",
                newName: "IX_delegations_PatientId");

            migrationBuilder.RenameColumn(
                name: "enabled",
                table: "channel_preferences",
                newName: "Enabled");

            migrationBuilder.RenameColumn(
                name: "channel",
                table: "channel_preferences",
                newName: "Channel");

            migrationBuilder.RenameColumn(
                name: "category",
                table: "channel_preferences",
                newName: "Category");

            migrationBuilder.RenameColumn(
                name: "updated_at",
                table: "channel_preferences",
                newName: "UpdatedAt");

            migrationBuilder.RenameColumn(
                name: "person_id",
                table: "channel_preferences",
                newName: "PersonId");

            migrationBuilder.RenameColumn(
                name: "status",
                table: "appointment_reminders",
                newName: "Status");

            migrationBuilder.RenameColumn(
                name: "kind",
                table: "appointment_reminders",
                newName: "Kind");

            migrationBuilder.RenameColumn(
                name: "appointment",
                table: "appointment_reminders",
                newName: "Appointment");

            migrationBuilder.RenameColumn(
                name: "id",
                table: "appointment_reminders",
                newName: "Id");

            migrationBuilder.RenameColumn(
                name: "updated_at",
                table: "appointment_reminders",
                newName: "UpdatedAt");

            migrationBuilder.RenameColumn(
                name: "starts_at",
                table: "appointment_reminders",
                newName: "StartsAt");

            migrationBuilder.RenameColumn(
                name: "sent_at",
                table: "appointment_reminders",
                newName: "SentAt");

            migrationBuilder.RenameColumn(
                name: "patient_id",
                table: "appointment_reminders",
                newName: "PatientId");

            migrationBuilder.RenameColumn(
                name: "due_at",
                table: "appointment_reminders",
                newName: "DueAt");

            migrationBuilder.RenameColumn(
                name: "appointment_id",
                table: "appointment_reminders",
                newName: "AppointmentId");

            migrationBuilder.RenameIndex(
                name: "ix_appointment_reminders_appointment_id_kind",
                table: "appointment_reminders",
                newName: "IX_appointment_reminders_AppointmentId_Kind");

            migrationBuilder.AddPrimaryKey(
                name: "PK_recipients",
                table: "recipients",
                column: "PersonId");

            migrationBuilder.AddPrimaryKey(
                name: "PK_push_devices",
                table: "push_devices",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_notifications",
                table: "notifications",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_deliveries",
                table: "deliveries",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_delegations",
                table: "delegations",
                column: "DelegationId");

            migrationBuilder.AddPrimaryKey(
                name: "PK_channel_preferences",
                table: "channel_preferences",
                columns: new[] { "PersonId", "Category", "Channel" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_appointment_reminders",
                table: "appointment_reminders",
                column: "Id");

            migrationBuilder.CreateIndex(
                name: "IX_notifications_unread",
                table: "notifications",
                column: "PatientId",
                filter: "\"ReadAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_pending",
                table: "deliveries",
                column: "NotBefore",
                filter: "\"Status\" = 'pending'");

            migrationBuilder.CreateIndex(
                name: "ix_appointment_reminders_pending",
                table: "appointment_reminders",
                column: "DueAt",
                filter: "\"Status\" = 'pending'");
        }
    }
}
