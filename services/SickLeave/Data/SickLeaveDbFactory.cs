using Gosuslugi.Health.ServiceDefaults.Data;

namespace Gosuslugi.Health.SickLeave.Data;

public sealed class SickLeaveDbFactory() : DesignTimeDbFactory<SickLeaveDb>("sickleavedb");
