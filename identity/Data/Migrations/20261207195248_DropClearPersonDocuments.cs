using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Identity.Data.Migrations
{
    /// <summary>
    /// Drops the clear document columns once SealPersonDocumentsStep sealed every person's documents. The documents are
    /// optional, so no NOT NULL constraint can catch a row left unsealed: the check below fails this migration instead
    /// (and leaves the clear values in place for the step to retry at the next start).
    /// </summary>
    public partial class DropClearPersonDocuments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM users
                               WHERE passport_series_clear IS NOT NULL OR passport_number_clear IS NOT NULL OR passport_issued_on_clear IS NOT NULL
                                  OR oms_policy_number_clear IS NOT NULL OR oms_insurer_clear IS NOT NULL
                                  OR oms_valid_from_clear IS NOT NULL OR oms_valid_to_clear IS NOT NULL) THEN
                        RAISE EXCEPTION 'users still holds documents in clear: SealPersonDocumentsStep has not sealed every row';
                    END IF;
                END $$;
                ALTER TABLE users DROP COLUMN passport_series_clear, DROP COLUMN passport_number_clear, DROP COLUMN passport_issued_on_clear,
                    DROP COLUMN oms_policy_number_clear, DROP COLUMN oms_insurer_clear, DROP COLUMN oms_valid_from_clear,
                    DROP COLUMN oms_valid_to_clear;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            throw new NotSupportedException("Sealed identity documents are not turned back into clear text by a migration.");
    }
}
