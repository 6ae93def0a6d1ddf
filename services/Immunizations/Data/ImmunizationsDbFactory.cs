using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Gosuslugi.Health.Immunizations.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the service; it never connects.</summary>
public sealed class ImmunizationsDbFactory : IDesignTimeDbContextFactory<ImmunizationsDb>
{
    public ImmunizationsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ImmunizationsDb>()
            .UseNpgsql("Host=localhost;Database=immunizationsdb")
            .Options);
}
