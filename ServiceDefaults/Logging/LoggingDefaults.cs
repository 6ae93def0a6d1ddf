using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Hosting;

namespace Gosuslugi.Health.ServiceDefaults.Logging;

internal static class LoggingDefaults
{
    // Without these, the framework logs every request, SQL command and proxied call at Information:
    // that drowns what matters and costs more than the request itself under load. Traces and
    // metrics carry that detail instead.
    private static readonly Dictionary<string, string?> Levels = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:LogLevel:Yarp"] = "Warning",
        // OpenIddict logs each protocol request and response (as JSON) at Information: several records per token.
        ["Logging:LogLevel:OpenIddict"] = "Warning",
    };

    /// <summary>
    /// Adds the levels as the lowest-precedence configuration source, so appsettings, environment
    /// variables and the command line still override each of them.
    /// </summary>
    public static void AddLoggingDefaults(this IHostApplicationBuilder builder)
        => builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Levels });
}
