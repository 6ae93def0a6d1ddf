using System.Globalization;

namespace Gosuslugi.Health.ServiceDefaults.Caching;

/// <summary>Settings parsed from a StackExchange.Redis-style connection string: "host:port[,password=..][,user=..][,defaultDatabase=N]".</summary>
internal sealed record RedisOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 6379;
    public string? User { get; init; }
    public string? Password { get; init; }
    public int Database { get; init; }
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public int MaxConnections { get; init; } = 32;

    public static RedisOptions Parse(string connectionString)
    {
        var options = new RedisOptions();
        foreach (var raw in connectionString.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = raw.IndexOf('=');
            if (eq < 0)
            {
                var colon = raw.LastIndexOf(':');
                options = colon > 0
                    ? options with { Host = raw[..colon], Port = int.Parse(raw[(colon + 1)..], CultureInfo.InvariantCulture) }
                    : options with { Host = raw };
                continue;
            }
            var key = raw[..eq].Trim().ToLowerInvariant();
            var value = raw[(eq + 1)..].Trim();
            options = key switch
            {
                "password" => options with { Password = value },
                "user" or "username" => options with { User = value },
                "defaultdatabase" => options with { Database = int.Parse(value, CultureInfo.InvariantCulture) },
                "connecttimeout" => options with { ConnectTimeout = TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture)) },
                "synctimeout" or "asynctimeout" => options with { CommandTimeout = TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture)) },
                _ => options, // unknown StackExchange.Redis options (abortConnect, ssl=false, ...) are ignored
            };
        }
        return options;
    }
}
