using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Gosuslugi.Health.Appointments.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the service; it never connects.</summary>
public sealed class AppointmentsDbFactory : IDesignTimeDbContextFactory<AppointmentsDb>
{
    public AppointmentsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AppointmentsDb>()
            .UseNpgsql("Host=localhost;Database=appointmentsdb")
            .Options);
}
