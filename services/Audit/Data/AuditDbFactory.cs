using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Gosuslugi.Health.Audit.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the service; it never connects.</summary>
public sealed class AuditDbFactory : IDesignTimeDbContextFactory<AuditDb>
{
    public AuditDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AuditDb>()
            .UseNpgsql("Host=localhost;Database=auditdb")
            .Options);
}
