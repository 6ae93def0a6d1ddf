using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Audit.Data.Migrations
{
    /// <inheritdoc />
    public partial class SecurityEventsChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "security_events",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: true),
                    actor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    client_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ip_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    details = table.Column<string>(type: "text", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    previous_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_security_events", x => x.sequence);
                });

            migrationBuilder.CreateIndex(
                name: "ix_security_events_event_id",
                table: "security_events",
                column: "event_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_security_events_previous_hash",
                table: "security_events",
                column: "previous_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_security_events_subject",
                table: "security_events",
                columns: new[] { "subject_id", "sequence" });

            // Append-only below the application too: whoever changes or deletes an entry has to disable this trigger
            // first, and the hash chain still tells (SecurityEventChain.VerifyAsync).
            migrationBuilder.Sql("""
                CREATE FUNCTION security_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'security_events is append-only';
                END;
                $$;
                CREATE TRIGGER security_events_append_only
                    BEFORE UPDATE OR DELETE OR TRUNCATE ON security_events
                    FOR EACH STATEMENT EXECUTE FUNCTION security_events_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "security_events");

            migrationBuilder.Sql("DROP FUNCTION security_events_append_only();");
        }
    }
}
