using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;

namespace Gosuslugi.Health.AppHost;

/// <summary>
/// Options of the AppHost (command line, or environment):
/// <code>
///   --data-dir PATH       APPHOST_DATA_DIR        local data folder (default &lt;repo&gt;/.data)
///   --fresh               APPHOST_FRESH=1         wipe the data folder first
///   --port-base N         APPHOST_PORT_BASE       gateway N, dashboard N+1, postgres N+2, rabbitmq N+3 (+N+4 management),
///                                                 redis N+5, smtp N+6, epmd N+7, rabbitmq distribution N+8, OTLP N+9,
///                                                 identity and the services N+10.., the mailbox N+19
///   --random-ports        APPHOST_RANDOM_PORTS=1  every port not given explicitly is a free one chosen at start
///   --gateway-port N      APPHOST_GATEWAY_PORT    (default 8080)
///   --dashboard-port N    APPHOST_DASHBOARD_PORT  (default 18888)
///   --startup-timeout S   APPHOST_STARTUP_TIMEOUT seconds to wait for every resource to be healthy (default 300)
/// </code>
///   --dashboard-anonymous APPHOST_DASHBOARD_ANONYMOUS=1 the dashboard without its login (local development only)
///   --trace-ratio R       APPHOST_TRACE_RATIO     share of traces started at the gateway that are recorded (default 1: all,
///                                                 as developing needs); below 1, telemetry is exported as in production
///                                                 (OpenTelemetry's default intervals, not the dashboard's 1 s), which the
///                                                 benchmarks use
/// Everything else on the command line goes to Aspire.
/// </summary>
public sealed class AppHostOptions
{
    public required string RepositoryRoot { get; init; }
    public required string DataDirectory { get; init; }
    public bool Fresh { get; init; }
    public int? PortBase { get; init; }
    public bool RandomPorts { get; init; }
    public int? GatewayPort { get; init; }
    public int? DashboardPort { get; init; }
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(300);
    public bool DashboardAnonymous { get; init; }
    public double TraceRatio { get; init; } = 1;
    /// <summary>What is left of the command line for Aspire.</summary>
    public string[] AspireArgs { get; init; } = [];

    public string MailboxDirectory => Path.Combine(DataDirectory, "mailbox");

    public static AppHostOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, variable) in new[]
                 {
                     ("data-dir", "APPHOST_DATA_DIR"), ("fresh", "APPHOST_FRESH"), ("port-base", "APPHOST_PORT_BASE"),
                     ("random-ports", "APPHOST_RANDOM_PORTS"), ("gateway-port", "APPHOST_GATEWAY_PORT"),
                     ("dashboard-port", "APPHOST_DASHBOARD_PORT"), ("startup-timeout", "APPHOST_STARTUP_TIMEOUT"),
                     ("trace-ratio", "APPHOST_TRACE_RATIO"),
                 })
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value) values[key] = value;
        }

        string[] flags = ["fresh", "random-ports", "no-color", "dashboard-anonymous"];
        string[] valued = ["data-dir", "port-base", "gateway-port", "dashboard-port", "startup-timeout", "trace-ratio"];
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var key = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : "";
            string? inline = null;
            if (key.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0) (key, inline) = (key[..eq], key[(eq + 1)..]);
            if (flags.Contains(key, StringComparer.OrdinalIgnoreCase)) values[key] = inline ?? "1";
            else if (valued.Contains(key, StringComparer.OrdinalIgnoreCase))
                values[key] = inline ?? (i + 1 < args.Length ? args[++i] : throw new ArgumentException($"--{key} needs a value."));
            else rest.Add(arg);
        }

        static bool Flag(string? v) => v is not null && v is not ("0" or "false" or "False");
        int? Int(string key) => values.TryGetValue(key, out var v) && v is not null ? int.Parse(v, CultureInfo.InvariantCulture) : null;

        var root = FindRepositoryRoot();
        return new AppHostOptions
        {
            RepositoryRoot = root,
            DataDirectory = Path.GetFullPath(values.GetValueOrDefault("data-dir") ?? Path.Combine(root, ".data")),
            Fresh = Flag(values.GetValueOrDefault("fresh")),
            PortBase = Int("port-base"),
            RandomPorts = Flag(values.GetValueOrDefault("random-ports")),
            GatewayPort = Int("gateway-port"),
            DashboardPort = Int("dashboard-port"),
            StartupTimeout = TimeSpan.FromSeconds(Int("startup-timeout") ?? 300),
            DashboardAnonymous = Flag(values.GetValueOrDefault("dashboard-anonymous") ?? Environment.GetEnvironmentVariable("APPHOST_DASHBOARD_ANONYMOUS")),
            TraceRatio = values.GetValueOrDefault("trace-ratio") is { } ratio ? Math.Clamp(double.Parse(ratio, CultureInfo.InvariantCulture), 0, 1) : 1,
            AspireArgs = [.. rest],
        };
    }

    /// <summary>The build stamps the repository folder into the assembly; else the folder holding the .sln.</summary>
    private static string FindRepositoryRoot()
    {
        var stamped = typeof(AppHostOptions).Assembly
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
    public int Port(int baseOffset, int defaultPort, int? explicitPort = null) =>
        explicitPort ?? (PortBase is { } portBase ? portBase + baseOffset : RandomPorts ? FreePort() : defaultPort);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Wipes the data folder with --fresh; makes it (and the mailbox) otherwise.</summary>
    public void PrepareDataDirectory()
    {
        if (Fresh && Directory.Exists(DataDirectory))
        {
            Console.WriteLine($"--fresh: removing {DataDirectory}");
            Directory.Delete(DataDirectory, recursive: true);
        }
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(MailboxDirectory);
        // PostgreSQL runs as the postgres user: it must pass through the data folder (a temporary folder is 0700).
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(DataDirectory, File.GetUnixFileMode(DataDirectory) | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            for (var dir = Path.GetDirectoryName(DataDirectory); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
            {
                if ((File.GetUnixFileMode(dir) & UnixFileMode.OtherExecute) == 0)
                    throw new InvalidOperationException($"The postgres user cannot reach {DataDirectory}: {dir} is not traversable (chmod o+x {dir}, or --data-dir elsewhere).");
            }
        }
        // Written again once every resource is healthy (the bench and scripts wait for it).
        File.Delete(Path.Combine(DataDirectory, ReadySummary.ResourcesFile));
    }

    /// <summary>Server passwords, generated on the first start and kept in the data folder (never in the repository).</summary>
    public LocalSecrets LoadOrCreateSecrets()
    {
        var file = Path.Combine(DataDirectory, "secrets.json");
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true };
        static string New(int length) => RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", length);
        var existing = File.Exists(file) ? JsonSerializer.Deserialize<LocalSecrets>(File.ReadAllText(file), web) : null;
        var secrets = existing ?? new LocalSecrets(New(24), New(24), "health_" + New(6).ToLowerInvariant(), New(24));
        // A data folder from before the HSM gets its PINs now; everything else it has stays.
        secrets = secrets with { HsmUserPin = secrets.HsmUserPin ?? New(24), HsmSoPin = secrets.HsmSoPin ?? New(24) };
        if (secrets == existing) return existing;
        File.WriteAllText(file, JsonSerializer.Serialize(secrets, web));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return secrets;
    }
}

/// <param name="HsmUserPin">The SoftHSM2 token's user PIN (identity logs in with it).</param>
/// <param name="HsmSoPin">The token's security officer PIN, used once to initialise it.</param>
public sealed record LocalSecrets(string PostgresPassword, string RedisPassword, string RabbitMqUser, string RabbitMqPassword,
    string? HsmUserPin = null, string? HsmSoPin = null);
