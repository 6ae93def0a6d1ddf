using Gosuslugi.Health.Audit.Data;
using Gosuslugi.Health.Audit.Events;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gosuslugi.Health.Audit;

public static class AuditExtensions
{
    public const string DatabaseName = "auditdb";

    public static TBuilder AddAudit<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddServiceDatabase<AuditDb>(DatabaseName);
        // Migrations as the owner, then everything else as the restricted writer role (see AuditDatabaseRoles). Added
        // right after AddServiceDatabase: its options and its hosted service must come after the migrations'.
        builder.Services.AddSingleton<AuditDatabaseRoles>();
        builder.Services.ConfigureDbContext<AuditDb>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<AuditDatabaseRoles>().ConnectionString));
        builder.Services.AddHostedService<AuditWriterRoleStartup>();

        builder.AddServiceMessaging<AuditDb>(bus =>
        {
            bus.AddConsumer<SecurityEventRecordedConsumer>();
            bus.AddConsumer<PatientDataAccessedConsumer>();
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
