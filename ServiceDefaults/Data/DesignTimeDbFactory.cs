using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Gosuslugi.Health.ServiceDefaults.Data;

/// <summary>
/// Lets <c>dotnet ef</c> build a service's model without starting the service; it never connects.
/// A service derives one sealed class per DbContext so that the tool finds it in the service's assembly.
/// </summary>
public abstract class DesignTimeDbFactory<TDb>(string databaseName) : IDesignTimeDbContextFactory<TDb> where TDb : DbContext
{
    public TDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TDb>().UseNpgsql($"Host=localhost;Database={databaseName}")
            .UseSnakeCaseNamingConvention().Options;
        return (TDb)Activator.CreateInstance(typeof(TDb), options)!;
    }
}
