using System.Globalization;

namespace Gosuslugi.Health.Hosting;

/// <summary>
/// Command line (or environment) of the AppHost:
/// <code>
///   --data-dir PATH       APPHOST_DATA_DIR       local data folder (default &lt;repo&gt;/.data)
///   --fresh               APPHOST_FRESH=1        wipe the data folder first
///   --port-base N         APPHOST_PORT_BASE      gateway N, dashboard N+1, postgres N+2, rabbitmq N+3 (+N+4 management), redis N+5, projects N+10...
///   --random-ports        APPHOST_RANDOM_PORTS=1 every port not given explicitly is a free one chosen at start
///   --gateway-port N      APPHOST_GATEWAY_PORT   (default 8080)
///   --dashboard-port N    APPHOST_DASHBOARD_PORT (default 18888)
///   --startup-timeout S   APPHOST_STARTUP_TIMEOUT seconds to wait for each resource's readiness (default 120)
///   --no-color            plain output prefixes
/// </code>
/// Defaults without a port base: projects 5101.. in declaration order, postgres 55432, rabbitmq 55672
/// (management 55673), redis 56379.
/// </summary>
public sealed class AppHostOptions
{
    public string RepositoryRoot { get; init; } = "";
    public string DataDirectory { get; init; } = "";
    public bool Fresh { get; init; }
    public int? PortBase { get; init; }
    public bool RandomPorts { get; init; }
    public int? GatewayPort { get; init; }
    public int? DashboardPort { get; init; }
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(120);
    public bool Color { get; init; } = !Console.IsOutputRedirected;

    public static AppHostOptions Parse(string[] args, string? repositoryRoot = null)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        void FromEnv(string key, string variable)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrEmpty(value)) values[key] = value;
        }
        FromEnv("data-dir", "APPHOST_DATA_DIR");
        FromEnv("fresh", "APPHOST_FRESH");
        FromEnv("port-base", "APPHOST_PORT_BASE");
        FromEnv("random-ports", "APPHOST_RANDOM_PORTS");
        FromEnv("gateway-port", "APPHOST_GATEWAY_PORT");
        FromEnv("dashboard-port", "APPHOST_DASHBOARD_PORT");
        FromEnv("startup-timeout", "APPHOST_STARTUP_TIMEOUT");

        string[] flags = ["fresh", "random-ports", "no-color"];
        string[] valued = ["data-dir", "port-base", "gateway-port", "dashboard-port", "startup-timeout", "repo"];
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{arg}'.");
            var key = arg[2..];
            string? inline = null;
            var eq = key.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0) (key, inline) = (key[..eq], key[(eq + 1)..]);
            if (flags.Contains(key, StringComparer.OrdinalIgnoreCase)) values[key] = inline ?? "1";
            else if (valued.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                values[key] = inline ?? (i + 1 < args.Length ? args[++i] : throw new ArgumentException($"--{key} needs a value."));
            }
            else throw new ArgumentException($"Unknown option --{key}. Options: --data-dir, --fresh, --port-base, --random-ports, --gateway-port, --dashboard-port, --startup-timeout, --no-color.");
        }

        static bool Flag(string? v) => v is not null && v is not ("0" or "false" or "False");
        int? Int(string key) => values.TryGetValue(key, out var v) && v is not null
            ? int.Parse(v, CultureInfo.InvariantCulture) : null;

        var root = values.GetValueOrDefault("repo") ?? repositoryRoot ?? FindRepositoryRoot();
        return new AppHostOptions
        {
            RepositoryRoot = root,
            DataDirectory = Path.GetFullPath(values.GetValueOrDefault("data-dir") ?? Path.Combine(root, ".data")),
            Fresh = Flag(values.GetValueOrDefault("fresh")),
            PortBase = Int("port-base"),
            RandomPorts = Flag(values.GetValueOrDefault("random-ports")),
            GatewayPort = Int("gateway-port"),
            DashboardPort = Int("dashboard-port"),
            StartupTimeout = TimeSpan.FromSeconds(Int("startup-timeout") ?? 120),
            Color = !Console.IsOutputRedirected && !Flag(values.GetValueOrDefault("no-color")),
        };
    }

    /// <summary>The AppHost build stamps the repository folder into its assembly; else the folder holding the .sln.</summary>
    private static string FindRepositoryRoot()
    {
        var stamped = System.Reflection.Assembly.GetEntryAssembly()?
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (!string.IsNullOrEmpty(stamped) && Directory.Exists(stamped)) return stamped;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (dir.EnumerateFiles("*.sln").Any()) return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }

    /// <summary>Port plan: explicit option, else port base + offset, else a free port (random), else the default.</summary>
    internal int Port(int? requested, int? explicitOption, int baseOffset, int defaultPort)
    {
        if (explicitOption is not null) return explicitOption.Value;
        if (requested is not null && PortBase is null && !RandomPorts) return requested.Value;
        if (PortBase is not null) return PortBase.Value + baseOffset;
        if (RandomPorts) return Ports.GetFree();
        return defaultPort;
    }
}
