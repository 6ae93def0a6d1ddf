using Gosuslugi.Health.Audit.Data;
using Gosuslugi.Health.Audit.Events;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gosuslugi.Health.Audit;

public static class AuditExtensions
{
    public const string DatabaseName = "auditdb";

    public static TBuilder AddAudit<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddServiceDatabase<AuditDb>(DatabaseName);
        builder.AddServiceMessaging<AuditDb>(bus => bus.AddConsumer<SecurityEventRecordedConsumer>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
