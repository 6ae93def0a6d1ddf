using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gosuslugi.Health.Identity.Data.Migrations
{
    /// <inheritdoc />
    public partial class SnakeCaseNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_passkey_uses_user_passkeys_credential_id",
                table: "passkey_uses");

            migrationBuilder.DropForeignKey(
                name: "FK_role_claims_roles_role_id",
                table: "role_claims");

            migrationBuilder.DropForeignKey(
                name: "FK_user_claims_users_user_id",
                table: "user_claims");

            migrationBuilder.DropForeignKey(
                name: "FK_user_logins_users_user_id",
                table: "user_logins");

            migrationBuilder.DropForeignKey(
                name: "FK_user_passkeys_users_user_id",
                table: "user_passkeys");

            migrationBuilder.DropForeignKey(
                name: "FK_user_roles_roles_role_id",
                table: "user_roles");

            migrationBuilder.DropForeignKey(
                name: "FK_user_roles_users_user_id",
                table: "user_roles");

            migrationBuilder.DropForeignKey(
                name: "FK_user_tokens_users_user_id",
                table: "user_tokens");

            migrationBuilder.DropPrimaryKey(
                name: "PK_users",
                table: "users");

            migrationBuilder.DropPrimaryKey(
                name: "PK_user_tokens",
                table: "user_tokens");

            migrationBuilder.DropPrimaryKey(
                name: "PK_user_roles",
                table: "user_roles");

            migrationBuilder.DropPrimaryKey(
                name: "PK_user_passkeys",
                table: "user_passkeys");

            migrationBuilder.DropPrimaryKey(
                name: "PK_user_logins",
                table: "user_logins");

            migrationBuilder.DropPrimaryKey(
                name: "PK_user_claims",
                table: "user_claims");

            migrationBuilder.DropPrimaryKey(
                name: "PK_signing_keys",
                table: "signing_keys");

            migrationBuilder.DropPrimaryKey(
                name: "PK_sessions",
                table: "sessions");

            migrationBuilder.DropPrimaryKey(
                name: "PK_roles",
                table: "roles");

            migrationBuilder.DropPrimaryKey(
                name: "PK_role_claims",
                table: "role_claims");

            migrationBuilder.DropPrimaryKey(
                name: "PK_remembered_devices",
                table: "remembered_devices");

            migrationBuilder.DropPrimaryKey(
                name: "PK_refresh_tokens",
                table: "refresh_tokens");

            migrationBuilder.DropPrimaryKey(
                name: "PK_personal_data_consents",
                table: "personal_data_consents");

            migrationBuilder.DropPrimaryKey(
                name: "PK_passkey_uses",
                table: "passkey_uses");

            migrationBuilder.DropPrimaryKey(
                name: "PK_one_time_codes",
                table: "one_time_codes");

            migrationBuilder.DropPrimaryKey(
                name: "PK_oauth_clients",
                table: "oauth_clients");

            migrationBuilder.DropPrimaryKey(
                name: "PK_delegations",
                table: "delegations");

            migrationBuilder.DropPrimaryKey(
                name: "PK_data_protection_keys",
                table: "data_protection_keys");

            migrationBuilder.DropPrimaryKey(
                name: "PK_authorization_codes",
                table: "authorization_codes");

            migrationBuilder.DropPrimaryKey(
                name: "PK_access_restrictions",
                table: "access_restrictions");

            migrationBuilder.RenameIndex(
                name: "IX_users_snils",
                table: "users",
                newName: "ix_users_snils");

            migrationBuilder.RenameIndex(
                name: "IX_users_phone_number",
                table: "users",
                newName: "ix_users_phone_number");

            migrationBuilder.RenameIndex(
                name: "IX_users_organization_id",
                table: "users",
                newName: "ix_users_organization_id");

            migrationBuilder.RenameIndex(
                name: "IX_users_oms_policy_number",
                table: "users",
                newName: "ix_users_oms_policy_number");

            migrationBuilder.RenameIndex(
                name: "UserNameIndex",
                table: "users",
                newName: "ix_users_normalized_user_name");

            migrationBuilder.RenameIndex(
                name: "EmailIndex",
                table: "users",
                newName: "ix_users_normalized_email");

            migrationBuilder.RenameIndex(
                name: "IX_user_roles_role_id",
                table: "user_roles",
                newName: "ix_user_roles_role_id");

            migrationBuilder.RenameIndex(
                name: "IX_user_passkeys_user_id",
                table: "user_passkeys",
                newName: "ix_user_passkeys_user_id");

            migrationBuilder.RenameIndex(
                name: "IX_user_logins_user_id",
                table: "user_logins",
                newName: "ix_user_logins_user_id");

            migrationBuilder.RenameIndex(
                name: "IX_user_claims_user_id",
                table: "user_claims",
                newName: "ix_user_claims_user_id");

            migrationBuilder.RenameIndex(
                name: "IX_signing_keys_key_id",
                table: "signing_keys",
                newName: "ix_signing_keys_key_id");

            migrationBuilder.RenameIndex(
                name: "IX_sessions_user_id",
                table: "sessions",
                newName: "ix_sessions_user_id");

            migrationBuilder.RenameIndex(
                name: "RoleNameIndex",
                table: "roles",
                newName: "ix_roles_normalized_name");

            migrationBuilder.RenameIndex(
                name: "IX_role_claims_role_id",
                table: "role_claims",
                newName: "ix_role_claims_role_id");

            migrationBuilder.RenameIndex(
                name: "IX_remembered_devices_user_id",
                table: "remembered_devices",
                newName: "ix_remembered_devices_user_id");

            migrationBuilder.RenameIndex(
                name: "IX_remembered_devices_token_hash",
                table: "remembered_devices",
                newName: "ix_remembered_devices_token_hash");

            migrationBuilder.RenameIndex(
                name: "IX_refresh_tokens_user_id",
                table: "refresh_tokens",
                newName: "ix_refresh_tokens_user_id");

            migrationBuilder.RenameIndex(
                name: "IX_refresh_tokens_token_hash",
                table: "refresh_tokens",
                newName: "ix_refresh_tokens_token_hash");

            migrationBuilder.RenameIndex(
                name: "IX_refresh_tokens_session_id",
                table: "refresh_tokens",
                newName: "ix_refresh_tokens_session_id");

            migrationBuilder.RenameIndex(
                name: "IX_refresh_tokens_family_id",
                table: "refresh_tokens",
                newName: "ix_refresh_tokens_family_id");

            migrationBuilder.RenameIndex(
                name: "IX_personal_data_consents_user_id",
                table: "personal_data_consents",
                newName: "ix_personal_data_consents_user_id");

            migrationBuilder.RenameIndex(
                name: "IX_one_time_codes_flow_id_channel",
                table: "one_time_codes",
                newName: "ix_one_time_codes_flow_id_channel");

            migrationBuilder.RenameIndex(
                name: "IX_one_time_codes_expires_at",
                table: "one_time_codes",
                newName: "ix_one_time_codes_expires_at");

            migrationBuilder.RenameIndex(
                name: "IX_one_time_codes_destination_created_at",
                table: "one_time_codes",
                newName: "ix_one_time_codes_destination_created_at");

            migrationBuilder.RenameIndex(
                name: "IX_oauth_clients_client_id",
                table: "oauth_clients",
                newName: "ix_oauth_clients_client_id");

            migrationBuilder.RenameIndex(
                name: "IX_delegations_principal_id",
                table: "delegations",
                newName: "ix_delegations_principal_id");

            migrationBuilder.RenameIndex(
                name: "IX_delegations_actor_id",
                table: "delegations",
                newName: "ix_delegations_actor_id");

            migrationBuilder.RenameIndex(
                name: "IX_authorization_codes_expires_at",
                table: "authorization_codes",
                newName: "ix_authorization_codes_expires_at");

            migrationBuilder.RenameIndex(
                name: "IX_authorization_codes_code_hash",
                table: "authorization_codes",
                newName: "ix_authorization_codes_code_hash");

            migrationBuilder.RenameIndex(
                name: "IX_access_restrictions_patient_id",
                table: "access_restrictions",
                newName: "ix_access_restrictions_patient_id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_users",
                table: "users",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_user_tokens",
                table: "user_tokens",
                columns: new[] { "user_id", "login_provider", "name" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_user_roles",
                table: "user_roles",
                columns: new[] { "user_id", "role_id" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_user_passkeys",
                table: "user_passkeys",
                column: "credential_id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_user_logins",
                table: "user_logins",
                columns: new[] { "login_provider", "provider_key" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_user_claims",
                table: "user_claims",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_signing_keys",
                table: "signing_keys",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_sessions",
                table: "sessions",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_roles",
                table: "roles",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_role_claims",
                table: "role_claims",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_remembered_devices",
                table: "remembered_devices",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_refresh_tokens",
                table: "refresh_tokens",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_personal_data_consents",
                table: "personal_data_consents",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_passkey_uses",
                table: "passkey_uses",
                column: "credential_id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_one_time_codes",
                table: "one_time_codes",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_oauth_clients",
                table: "oauth_clients",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_delegations",
                table: "delegations",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_data_protection_keys",
                table: "data_protection_keys",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_authorization_codes",
                table: "authorization_codes",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "pk_access_restrictions",
                table: "access_restrictions",
                column: "id");

            migrationBuilder.AddForeignKey(
                name: "fk_passkey_uses_user_passkeys_credential_id",
                table: "passkey_uses",
                column: "credential_id",
                principalTable: "user_passkeys",
                principalColumn: "credential_id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_role_claims_roles_role_id",
                table: "role_claims",
                column: "role_id",
                principalTable: "roles",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_user_claims_users_user_id",
                table: "user_claims",
                column: "user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_user_logins_users_user_id",
                table: "user_logins",
                column: "user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_user_passkeys_users_user_id",
                table: "user_passkeys",
                column: "user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_user_roles_roles_role_id",
                table: "user_roles",
                column: "role_id",
                principalTable: "roles",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_user_roles_users_user_id",
                table: "user_roles",
                column: "user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_user_tokens_users_user_id",
                table: "user_tokens",
                column: "user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_passkey_uses_user_passkeys_credential_id",
                table: "passkey_uses");

            migrationBuilder.DropForeignKey(
                name: "fk_role_claims_roles_role_id",
                table: "role_claims");

            migrationBuilder.DropForeignKey(
                name: "fk_user_claims_users_user_id",
                table: "user_claims");

            migrationBuilder.DropForeignKey(
                name: "fk_user_logins_users_user_id",
                table: "user_logins");

            migrationBuilder.DropForeignKey(
                name: "fk_user_passkeys_users_user_id",
                table: "user_passkeys");

            migrationBuilder.DropForeignKey(
                name: "fk_user_roles_roles_role_id",
                table: "user_roles");

            migrationBuilder.DropForeignKey(
                name: "fk_user_roles_users_user_id",
                table: "user_roles");

            migrationBuilder.DropForeignKey(
                name: "fk_user_tokens_users_user_id",
                table: "user_tokens");

            migrationBuilder.DropPrimaryKey(
                name: "pk_users",
                table: "users");

            migrationBuilder.DropPrimaryKey(
                name: "pk_user_tokens",
                table: "user_tokens");

            migrationBuilder.DropPrimaryKey(
                name: "pk_user_roles",
                table: "user_roles");

            migrationBuilder.DropPrimaryKey(
                name: "pk_user_passkeys",
                table: "user_passkeys");

            migrationBuilder.DropPrimaryKey(
                name: "pk_user_logins",
                table: "user_logins");

            migrationBuilder.DropPrimaryKey(
                name: "pk_user_claims",
                table: "user_claims");

            migrationBuilder.DropPrimaryKey(
                name: "pk_signing_keys",
                table: "signing_keys");

            migrationBuilder.DropPrimaryKey(
                name: "pk_sessions",
                table: "sessions");

            migrationBuilder.DropPrimaryKey(
                name: "pk_roles",
                table: "roles");

            migrationBuilder.DropPrimaryKey(
                name: "pk_role_claims",
                table: "role_claims");

            migrationBuilder.DropPrimaryKey(
                name: "pk_remembered_devices",
                table: "remembered_devices");

            migrationBuilder.DropPrimaryKey(
                name: "pk_refresh_tokens",
                table: "refresh_tokens");

            migrationBuilder.DropPrimaryKey(
                name: "pk_personal_data_consents",
                table: "personal_data_consents");

            migrationBuilder.DropPrimaryKey(
                name: "pk_passkey_uses",
                table: "passkey_uses");

            migrationBuilder.DropPrimaryKey(
                name: "pk_one_time_codes",
                table: "one_time_codes");

            migrationBuilder.DropPrimaryKey(
                name: "pk_oauth_clients",
                table: "oauth_clients");

            migrationBuilder.DropPrimaryKey(
                name: "pk_delegations",
                table: "delegations");

            migrationBuilder.DropPrimaryKey(
                name: "pk_data_protection_keys",
                table: "data_protection_keys");

            migrationBuilder.DropPrimaryKey(
                name: "pk_authorization_codes",
                table: "authorization_codes");

            migrationBuilder.DropPrimaryKey(
                name: "pk_access_restrictions",
                table: "access_restrictions");

            migrationBuilder.RenameIndex(
                name: "ix_users_snils",
                table: "users",
                newName: "IX_users_snils");

            migrationBuilder.RenameIndex(
                name: "ix_users_phone_number",
                table: "users",
                newName: "IX_users_phone_number");

            migrationBuilder.RenameIndex(
                name: "ix_users_organization_id",
                table: "users",
                newName: "IX_users_organization_id");

            migrationBuilder.RenameIndex(
                name: "ix_users_oms_policy_number",
                table: "users",
                newName: "IX_users_oms_policy_number");

            migrationBuilder.RenameIndex(
                name: "ix_users_normalized_user_name",
                table: "users",
                newName: "UserNameIndex");

            migrationBuilder.RenameIndex(
                name: "ix_users_normalized_email",
                table: "users",
                newName: "EmailIndex");

            migrationBuilder.RenameIndex(
                name: "ix_user_roles_role_id",
                table: "user_roles",
                newName: "IX_user_roles_role_id");

            migrationBuilder.RenameIndex(
                name: "ix_user_passkeys_user_id",
                table: "user_passkeys",
                newName: "IX_user_passkeys_user_id");

            migrationBuilder.RenameIndex(
                name: "ix_user_logins_user_id",
                table: "user_logins",
                newName: "IX_user_logins_user_id");

            migrationBuilder.RenameIndex(
                name: "ix_user_claims_user_id",
                table: "user_claims",
                newName: "IX_user_claims_user_id");

            migrationBuilder.RenameIndex(
                name: "ix_signing_keys_key_id",
                table: "signing_keys",
                newName: "IX_signing_keys_key_id");

            migrationBuilder.RenameIndex(
                name: "ix_sessions_user_id",
                table: "sessions",
                newName: "IX_sessions_user_id");

            migrationBuilder.RenameIndex(
                name: "ix_roles_normalized_name",
                table: "roles",
                newName: "RoleNameIndex");

            migrationBuilder.RenameIndex(
                name: "ix_role_claims_role_id",
                table: "role_claims",
                newName: "IX_role_claims_role_id");

            migrationBuilder.RenameIndex(
                name: "ix_remembered_devices_user_id",
                table: "remembered_devices",
                newName: "IX_remembered_devices_user_id");

            migrationBuilder.RenameIndex(
                name: "ix_remembered_devices_token_hash",
                table: "remembered_devices",
                newName: "IX_remembered_devices_token_hash");

            migrationBuilder.RenameIndex(
                name: "ix_refresh_tokens_user_id",
                table: "refresh_tokens",
                newName: "IX_refresh_tokens_user_id");

            migrationBuilder.RenameIndex(
                name: "ix_refresh_tokens_token_hash",
                table: "refresh_tokens",
                newName: "IX_refresh_tokens_token_hash");

            migrationBuilder.RenameIndex(
                name: "ix_refresh_tokens_session_id",
                table: "refresh_tokens",
                newName: "IX_refresh_tokens_session_id");

            migrationBuilder.RenameIndex(
                name: "ix_refresh_tokens_family_id",
                table: "refresh_tokens",
                newName: "IX_refresh_tokens_family_id");

            migrationBuilder.RenameIndex(
                name: "ix_personal_data_consents_user_id",
                table: "personal_data_consents",
                newName: "IX_personal_data_consents_user_id");

            migrationBuilder.RenameIndex(
                name: "ix_one_time_codes_flow_id_channel",
                table: "one_time_codes",
                newName: "IX_one_time_codes_flow_id_channel");

            migrationBuilder.RenameIndex(
                name: "ix_one_time_codes_expires_at",
                table: "one_time_codes",
                newName: "IX_one_time_codes_expires_at");

            migrationBuilder.RenameIndex(
                name: "ix_one_time_codes_destination_created_at",
                table: "one_time_codes",
                newName: "IX_one_time_codes_destination_created_at");

            migrationBuilder.RenameIndex(
                name: "ix_oauth_clients_client_id",
                table: "oauth_clients",
                newName: "IX_oauth_clients_client_id");

            migrationBuilder.RenameIndex(
                name: "ix_delegations_principal_id",
                table: "delegations",
                newName: "IX_delegations_principal_id");

            migrationBuilder.RenameIndex(
                name: "ix_delegations_actor_id",
                table: "delegations",
                newName: "IX_delegations_actor_id");

            migrationBuilder.RenameIndex(
                name: "ix_authorization_codes_expires_at",
                table: "authorization_codes",
                newName: "IX_authorization_codes_expires_at");

            migrationBuilder.RenameIndex(
                name: "ix_authorization_codes_code_hash",
                table: "authorization_codes",
                newName: "IX_authorization_codes_code_hash");

            migrationBuilder.RenameIndex(
                name: "ix_access_restrictions_patient_id",
                table: "access_restrictions",
                newName: "IX_access_restrictions_patient_id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_users",
                table: "users",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_user_tokens",
                table: "user_tokens",
                columns: new[] { "user_id", "login_provider", "name" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_user_roles",
                table: "user_roles",
                columns: new[] { "user_id", "role_id" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_user_passkeys",
                table: "user_passkeys",
                column: "credential_id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_user_logins",
                table: "user_logins",
                columns: new[] { "login_provider", "provider_key" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_user_claims",
                table: "user_claims",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_signing_keys",
                table: "signing_keys",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_sessions",
                table: "sessions",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_roles",
                table: "roles",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_role_claims",
                table: "role_claims",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_remembered_devices",
                table: "remembered_devices",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_refresh_tokens",
                table: "refresh_tokens",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_personal_data_consents",
                table: "personal_data_consents",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_passkey_uses",
                table: "passkey_uses",
                column: "credential_id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_one_time_codes",
                table: "one_time_codes",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_oauth_clients",
                table: "oauth_clients",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_delegations",
                table: "delegations",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_data_protection_keys",
                table: "data_protection_keys",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_authorization_codes",
                table: "authorization_codes",
                column: "id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_access_restrictions",
                table: "access_restrictions",
                column: "id");

            migrationBuilder.AddForeignKey(
                name: "FK_passkey_uses_user_passkeys_credential_id",
                table: "passkey_uses",
                column: "credential_id",
                principalTable: "user_passkeys",
                principalColumn: "credential_id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_role_claims_roles_role_id",
                table: "role_claims",
                column: "role_id",
                principalTable: "roles",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_user_claims_users_user_id",
                table: "user_claims",
                column: "user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_user_logins_users_user_id",
                table: "user_logins",
                column: "user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_user_passkeys_users_user_id",
                table: "user_passkeys",
                column: "user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_user_roles_roles_role_id",
                table: "user_roles",
                column: "role_id",
                principalTable: "roles",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_user_roles_users_user_id",
                table: "user_roles",
                column: "user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_user_tokens_users_user_id",
                table: "user_tokens",
                column: "user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
