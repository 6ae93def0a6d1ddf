using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Gosuslugi.Health.SickLeave.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the service; it never connects.</summary>
public sealed class SickLeaveDbFactory : IDesignTimeDbContextFactory<SickLeaveDb>
{
    public SickLeaveDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SickLeaveDb>()
            .UseNpgsql("Host=localhost;Database=sickleavedb")
            .Options);
}
