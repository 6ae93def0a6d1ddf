using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Gosuslugi.Health.Disputes.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the service; it never connects.</summary>
public sealed class DisputesDbFactory : IDesignTimeDbContextFactory<DisputesDb>
{
    public DisputesDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<DisputesDb>()
            .UseNpgsql("Host=localhost;Database=disputesdb")
            .Options);
}
