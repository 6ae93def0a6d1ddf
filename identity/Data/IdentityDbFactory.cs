using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Gosuslugi.Health.Identity.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the service; it never connects.</summary>
public sealed class IdentityDbFactory : IDesignTimeDbContextFactory<IdentityDb>
{
    public IdentityDb CreateDbContext(string[] args)
    {
        // Identity takes its schema version from the application's services, as in the running service.
        var services = new ServiceCollection()
            .Configure<IdentityOptions>(IdentityDb.ConfigureStore)
            .BuildServiceProvider();
        return new(new DbContextOptionsBuilder<IdentityDb>()
            .UseNpgsql("Host=localhost;Database=identitydb")
            .UseSnakeCaseNamingConvention()
            .UseApplicationServiceProvider(services)
            .Options);
    }
}
