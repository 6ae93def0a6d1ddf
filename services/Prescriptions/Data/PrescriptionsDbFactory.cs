using Gosuslugi.Health.ServiceDefaults.Data;

namespace Gosuslugi.Health.Prescriptions.Data;

public sealed class PrescriptionsDbFactory() : DesignTimeDbFactory<PrescriptionsDb>("prescriptionsdb");
