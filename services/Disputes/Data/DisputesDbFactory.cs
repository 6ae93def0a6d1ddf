using Gosuslugi.Health.ServiceDefaults.Data;

namespace Gosuslugi.Health.Disputes.Data;

public sealed class DisputesDbFactory() : DesignTimeDbFactory<DisputesDb>("disputesdb");
