using Gosuslugi.Health.ServiceDefaults.Data;

namespace Gosuslugi.Health.Immunizations.Data;

public sealed class ImmunizationsDbFactory() : DesignTimeDbFactory<ImmunizationsDb>("immunizationsdb");
