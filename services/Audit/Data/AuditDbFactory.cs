using Gosuslugi.Health.ServiceDefaults.Data;

namespace Gosuslugi.Health.Audit.Data;

public sealed class AuditDbFactory() : DesignTimeDbFactory<AuditDb>("auditdb");
