using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Immunizations.Data.Migrations
{
    /// <inheritdoc />
    public partial class VaccinationPlans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "vaccination_plans",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PatientId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    ExternalId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Disease = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    VaccineName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Stage = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    DueOn = table.Column<DateOnly>(type: "date", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DoneAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DoneByImmunizationId = table.Column<Guid>(type: "uuid", nullable: true),
                    CancelledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    NotifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_vaccination_plans", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_vaccination_plans_DueOn_awaiting_reminder",
                table: "vaccination_plans",
                column: "DueOn",
                filter: "\"NotifiedAt\" IS NULL AND \"DoneAt\" IS NULL AND \"CancelledAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_vaccination_plans_OrganizationId_ExternalId",
                table: "vaccination_plans",
                columns: new[] { "OrganizationId", "ExternalId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_vaccination_plans_PatientId_DueOn",
                table: "vaccination_plans",
                columns: new[] { "PatientId", "DueOn" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "vaccination_plans");
        }
    }
}
