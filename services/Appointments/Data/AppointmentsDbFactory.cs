using Gosuslugi.Health.ServiceDefaults.Data;

namespace Gosuslugi.Health.Appointments.Data;

public sealed class AppointmentsDbFactory() : DesignTimeDbFactory<AppointmentsDb>("appointmentsdb");
