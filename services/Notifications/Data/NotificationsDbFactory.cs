using Gosuslugi.Health.ServiceDefaults.Data;

namespace Gosuslugi.Health.Notifications.Data;

public sealed class NotificationsDbFactory() : DesignTimeDbFactory<NotificationsDb>("notificationsdb");
