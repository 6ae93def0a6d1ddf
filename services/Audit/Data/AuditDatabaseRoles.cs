using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Gosuslugi.Health.Audit.Data;

/// <summary>
/// "Its database user cannot update or delete rows": the service migrates as the database owner
/// (<c>ConnectionStrings:auditdb</c>) and then works as the login role <see cref="WriterRole"/>, which the AccessLog
/// migration grants only SELECT and INSERT on the chains (access_events, security_events) and full DML on the outbox
/// and inbox tables only. So an UPDATE or DELETE of an entry from the application (a bug, an injection) fails with
/// "permission denied" before the append-only triggers (the second line) are even reached.
/// <para>
/// The writer's connection is <c>ConnectionStrings:auditdb-writer</c> when the deployment provides one. Otherwise it is
/// derived from the owner's: same server and database, user <see cref="WriterRole"/>, and a password derived from the
/// owner's (HMAC-SHA256), which the service sets on the role at start-up (the owner may: in the AppHost and in tests it
/// is the cluster's superuser). Every instance derives the same password, so instances that start together do not
/// lock each other out; whoever knows the writer's password cannot work back to the owner's. A separate login role,
/// unlike <c>SET ROLE</c> on the owner's sessions, cannot be undone by SQL sent over its connection (RESET ROLE).
/// </para>
/// </summary>
public sealed class AuditDatabaseRoles
{
    public const string WriterRole = "audit_writer";
    public const string WriterConnectionName = AuditExtensions.DatabaseName + "-writer";

    private volatile string _current;

    public AuditDatabaseRoles(IConfiguration configuration)
    {
        Owner = configuration.GetConnectionString(AuditExtensions.DatabaseName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{AuditExtensions.DatabaseName} is not configured.");
        var configuredWriter = configuration.GetConnectionString(WriterConnectionName);
        WriterProvided = !string.IsNullOrWhiteSpace(configuredWriter);
        Writer = WriterProvided ? configuredWriter! : DeriveWriter(Owner, out _writerPassword);
        _current = Owner;
    }

    private readonly string? _writerPassword;

    /// <summary>The owner's connection: migrations only.</summary>
    public string Owner { get; }

    /// <summary>The restricted role's connection: everything the service does once migrated.</summary>
    public string Writer { get; }

    /// <summary>True when the deployment configured the writer's connection (its role and password are then its affair).</summary>
    public bool WriterProvided { get; }

    /// <summary>
    /// What a DbContext created now connects with: the owner's until the writer role is ready, which happens right
    /// after the migrations, before the service consumes a message or serves a request (see <see cref="AuditWriterRoleStartup"/>).
    /// </summary>
    public string ConnectionString => _current;

    internal string? DerivedWriterPassword => _writerPassword;

    internal void SwitchToWriter() => _current = Writer;

    private static string DeriveWriter(string owner, out string? password)
    {
        var builder = new NpgsqlConnectionStringBuilder(owner);
        password = string.IsNullOrEmpty(builder.Password)
            ? null // trust authentication (tests): no password to derive, none needed
            : Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(builder.Password), Encoding.UTF8.GetBytes(WriterRole)));
        builder.Username = WriterRole;
        builder.Password = password;
        return builder.ConnectionString;
    }
}

/// <summary>
/// Runs after the migrations (hosted services start in the order they were added, and AddServiceDatabase adds the
/// migrations first) and before the bus and Kestrel: lets the writer role log in, checks that it can, and switches the
/// service's DbContexts to it.
/// </summary>
internal sealed class AuditWriterRoleStartup(AuditDatabaseRoles roles, ILogger<AuditWriterRoleStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!roles.WriterProvided) await EnableLoginAsync(cancellationToken);

        await using (var writer = new NpgsqlConnection(roles.Writer))
        {
            await writer.OpenAsync(cancellationToken);
            await using var whoAmI = new NpgsqlCommand("SELECT current_user", writer);
            var user = (string?)await whoAmI.ExecuteScalarAsync(cancellationToken);
            logger.LogInformation("Audit works as database role {Role}", user);
        }
        roles.SwitchToWriter();
    }

    /// <summary>The migration created the role without login (roles are per server, so it may exist already); give it one.</summary>
    private async Task EnableLoginAsync(CancellationToken cancellationToken)
    {
        var password = roles.DerivedWriterPassword;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var owner = new NpgsqlConnection(roles.Owner);
                await owner.OpenAsync(cancellationToken);
                if (password is null)
                {
                    await using var canLogin = new NpgsqlCommand("SELECT rolcanlogin FROM pg_roles WHERE rolname = @role", owner);
                    canLogin.Parameters.AddWithValue("role", AuditDatabaseRoles.WriterRole);
                    if (await canLogin.ExecuteScalarAsync(cancellationToken) is true) return;
                }
                // A utility statement takes no parameters; the password is lowercase hex, safe to inline.
                var sql = $"ALTER ROLE {AuditDatabaseRoles.WriterRole} WITH LOGIN" + (password is null ? "" : $" PASSWORD '{password}'");
                await using var alter = new NpgsqlCommand(sql, owner);
                await alter.ExecuteNonQueryAsync(cancellationToken);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InternalError && attempt < 5)
            {
                // "tuple concurrently updated": another instance (or test process) altered the role at the same moment.
                logger.LogDebug(ex, "Altering role {Role} collided with another session; retrying", AuditDatabaseRoles.WriterRole);
                await Task.Delay(100 * attempt, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
