using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Gosuslugi.Health.Notifications.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the service; it never connects.</summary>
public sealed class NotificationsDbFactory : IDesignTimeDbContextFactory<NotificationsDb>
{
    public NotificationsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<NotificationsDb>()
            .UseNpgsql("Host=localhost;Database=notificationsdb")
            .Options);
}
