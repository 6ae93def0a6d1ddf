using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Audit.Data.Migrations
{
    /// <inheritdoc />
    public partial class AccessLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "access_events",
                columns: table => new
                {
                    patient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    patient_sequence = table.Column<long>(type: "bigint", nullable: false),
                    event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    actor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    actor_role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    actor_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: true),
                    organization_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    delegation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    client_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    service = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    section = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    item_id = table.Column<Guid>(type: "uuid", nullable: true),
                    action = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    purpose = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    ip_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    previous_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_access_events", x => new { x.patient_id, x.patient_sequence });
                });

            migrationBuilder.CreateIndex(
                name: "ix_access_events_event_id",
                table: "access_events",
                column: "event_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_access_events_patient_occurred",
                table: "access_events",
                columns: new[] { "patient_id", "occurred_at", "patient_sequence" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "ix_access_events_patient_organization",
                table: "access_events",
                columns: new[] { "patient_id", "organization_id" });

            migrationBuilder.CreateIndex(
                name: "ix_access_events_patient_previous_hash",
                table: "access_events",
                columns: new[] { "patient_id", "previous_hash" },
                unique: true);

            // Append-only below the application too, like security_events: whoever changes or deletes an entry has to
            // disable this trigger first, and the patient's hash chain still tells (PatientAccessChain.VerifyAsync).
            migrationBuilder.Sql("""
                CREATE FUNCTION access_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'access_events is append-only';
                END;
                $$;
                CREATE TRIGGER access_events_append_only
                    BEFORE UPDATE OR DELETE OR TRUNCATE ON access_events
                    FOR EACH STATEMENT EXECUTE FUNCTION access_events_append_only();
                """);

            // The role the service works as once migrated (AuditDatabaseRoles): it reads and appends to the chains and
            // nothing more; only the outbox and inbox, which the relay marks published and prunes, take every change.
            // Roles belong to the server, not the database: another database's migration (another test, another
            // instance) may create it at the same moment, hence the exception handler. It is created without login;
            // the service gives it one (with its password) at start-up, or the deployment provides its own.
            // The migrations history may be read (which migrations are applied), not written: only the owner migrates.
            // A table added by a later migration needs its own GRANT to audit_writer there.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'audit_writer') THEN
                        CREATE ROLE audit_writer NOLOGIN;
                    END IF;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN
                    NULL;
                END;
                $$;
                REVOKE ALL ON access_events, security_events FROM audit_writer;
                GRANT SELECT, INSERT ON access_events, security_events TO audit_writer;
                GRANT SELECT, INSERT, UPDATE, DELETE ON outbox_messages, inbox_messages TO audit_writer;
                GRANT SELECT ON "__EFMigrationsHistory" TO audit_writer;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The role stays: it is the server's, and other databases may use it.
            migrationBuilder.Sql("""
                REVOKE ALL ON security_events, outbox_messages, inbox_messages, "__EFMigrationsHistory" FROM audit_writer;
                """);

            migrationBuilder.DropTable(
                name: "access_events");

            migrationBuilder.Sql("DROP FUNCTION access_events_append_only();");
        }
    }
}
