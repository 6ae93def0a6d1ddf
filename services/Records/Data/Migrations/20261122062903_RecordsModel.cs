using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Records.Data.Migrations
{
    /// <inheritdoc />
    public partial class RecordsModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "analyte_thresholds",
                columns: table => new
                {
                    PatientId = table.Column<Guid>(type: "uuid", nullable: false),
                    AnalyteCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Low = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: true),
                    High = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_analyte_thresholds", x => new { x.PatientId, x.AnalyteCode });
                });

            migrationBuilder.CreateTable(
                name: "care_relationships",
                columns: table => new
                {
                    SourceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PatientId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    DoctorId = table.Column<Guid>(type: "uuid", nullable: true),
                    ValidFrom = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ValidUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_care_relationships", x => x.SourceId);
                });

            migrationBuilder.CreateTable(
                name: "known_patients",
                columns: table => new
                {
                    PatientId = table.Column<Guid>(type: "uuid", nullable: false),
                    Snils = table.Column<string>(type: "character varying(11)", maxLength: 11, nullable: false),
                    FamilyName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    GivenName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    MiddleName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    BirthDate = table.Column<DateOnly>(type: "date", nullable: false),
                    RegisteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_known_patients", x => x.PatientId);
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
                name: "record_items",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RecordId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    IsCurrent = table.Column<bool>(type: "boolean", nullable: false),
                    PatientId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    ExternalId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ResourceType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Title = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    EffectiveAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DepartmentName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    DoctorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    DoctorName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Specialty = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Sections = table.Column<string[]>(type: "text[]", nullable: false),
                    DiagnosisCodes = table.Column<string[]>(type: "text[]", nullable: false),
                    Details = table.Column<string>(type: "jsonb", nullable: false),
                    ContentHash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    SubmittedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CorrectionReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CorrectsItemId = table.Column<Guid>(type: "uuid", nullable: true),
                    SupersededAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    HasDocument = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_record_items", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "observations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ItemId = table.Column<Guid>(type: "uuid", nullable: false),
                    PatientId = table.Column<Guid>(type: "uuid", nullable: false),
                    IsCurrent = table.Column<bool>(type: "boolean", nullable: false),
                    AnalyteCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AnalyteName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Value = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: true),
                    ValueText = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Unit = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    ReferenceLow = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: true),
                    ReferenceHigh = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: true),
                    ReferenceText = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Interpretation = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    TakenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_observations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_observations_record_items_ItemId",
                        column: x => x.ItemId,
                        principalTable: "record_items",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "record_documents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ItemId = table.Column<Guid>(type: "uuid", nullable: false),
                    PatientId = table.Column<Guid>(type: "uuid", nullable: false),
                    ContentType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false),
                    Sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_record_documents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_record_documents_record_items_ItemId",
                        column: x => x.ItemId,
                        principalTable: "record_items",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_care_relationships_PatientId_OrganizationId",
                table: "care_relationships",
                columns: new[] { "PatientId", "OrganizationId" });

            migrationBuilder.CreateIndex(
                name: "IX_known_patients_Snils",
                table: "known_patients",
                column: "Snils",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_observations_ItemId",
                table: "observations",
                column: "ItemId");

            migrationBuilder.CreateIndex(
                name: "ix_observations_trend",
                table: "observations",
                columns: new[] { "PatientId", "AnalyteCode", "TakenAt" },
                filter: "\"IsCurrent\"");

            migrationBuilder.CreateIndex(
                name: "ix_patient_access_restrictions_active",
                table: "patient_access_restrictions",
                column: "patient_id",
                filter: "active");

            migrationBuilder.CreateIndex(
                name: "IX_record_documents_ItemId",
                table: "record_documents",
                column: "ItemId");

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
                name: "IX_record_items_OrganizationId_ExternalId_Version",
                table: "record_items",
                columns: new[] { "OrganizationId", "ExternalId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_record_items_RecordId",
                table: "record_items",
                column: "RecordId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "analyte_thresholds");

            migrationBuilder.DropTable(
                name: "care_relationships");

            migrationBuilder.DropTable(
                name: "known_patients");

            migrationBuilder.DropTable(
                name: "observations");

            migrationBuilder.DropTable(
                name: "patient_access_restrictions");

            migrationBuilder.DropTable(
                name: "record_documents");

            migrationBuilder.DropTable(
                name: "record_items");
        }
    }
}
