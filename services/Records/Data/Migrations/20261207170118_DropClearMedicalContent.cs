using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Records.Data.Migrations
{
    /// <summary>
    /// Drops the clear columns once SealMedicalContentStep sealed every row; the NOT NULL constraints fail this
    /// migration (and leave the clear text in place) should any row have been left unsealed.
    /// </summary>
    public partial class DropClearMedicalContent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE record_items ALTER COLUMN title SET NOT NULL, ALTER COLUMN details SET NOT NULL,
                    DROP COLUMN title_clear, DROP COLUMN details_clear, DROP COLUMN correction_reason_clear;
                ALTER TABLE observations ALTER COLUMN content SET NOT NULL,
                    DROP COLUMN analyte_name_clear, DROP COLUMN value_clear, DROP COLUMN value_text_clear,
                    DROP COLUMN reference_low_clear, DROP COLUMN reference_high_clear, DROP COLUMN reference_text_clear,
                    DROP COLUMN comment_clear;
                ALTER TABLE record_documents ALTER COLUMN file_name SET NOT NULL, ALTER COLUMN content SET NOT NULL,
                    ALTER COLUMN size DROP DEFAULT, DROP COLUMN file_name_clear, DROP COLUMN content_clear;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            throw new NotSupportedException("Sealed medical content is not turned back into clear text by a migration.");
    }
}
