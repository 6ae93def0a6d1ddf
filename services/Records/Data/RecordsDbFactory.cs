using Gosuslugi.Health.ServiceDefaults.Data;

namespace Gosuslugi.Health.Records.Data;

public sealed class RecordsDbFactory() : DesignTimeDbFactory<RecordsDb>("recordsdb");
