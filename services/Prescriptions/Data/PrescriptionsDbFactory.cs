using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Gosuslugi.Health.Prescriptions.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the service; it never connects.</summary>
public sealed class PrescriptionsDbFactory : IDesignTimeDbContextFactory<PrescriptionsDb>
{
    public PrescriptionsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PrescriptionsDb>()
            .UseNpgsql("Host=localhost;Database=prescriptionsdb")
            .Options);
}
