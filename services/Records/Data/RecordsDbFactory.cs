using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Gosuslugi.Health.Records.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the service; it never connects.</summary>
public sealed class RecordsDbFactory : IDesignTimeDbContextFactory<RecordsDb>
{
    public RecordsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<RecordsDb>()
            .UseNpgsql("Host=localhost;Database=recordsdb")
            .Options);
}
