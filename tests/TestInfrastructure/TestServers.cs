using Gosuslugi.Health.TestInfrastructure.Servers;

namespace Gosuslugi.Health.TestInfrastructure;

/// <summary>
/// One PostgreSQL, one RabbitMQ and one Redis per test process, on free loopback ports, started on
/// first use and stopped when the process exits. Tests isolate themselves with their own database
/// (<see cref="PostgresServer.CreateDatabaseAsync"/>) and virtual host
/// (<see cref="RabbitMqServer.CreateVirtualHostAsync"/>).
/// </summary>
public sealed class TestServers
{
    private static readonly Lock Gate = new();
    private static Task<TestServers>? _instance;

    private TestServers(PostgresServer postgres, RabbitMqServer rabbitMq, RedisServer redis)
    {
        Postgres = postgres;
        RabbitMq = rabbitMq;
        Redis = redis;
    }

    public PostgresServer Postgres { get; }
    public RabbitMqServer RabbitMq { get; }
    public RedisServer Redis { get; }

    public static Task<TestServers> GetAsync()
    {
        lock (Gate)
        {
            // A failed start is not cached: the next caller tries again (and sees its own error).
            if (_instance is null || _instance.IsFaulted || _instance.IsCanceled)
            {
                _instance = StartAllAsync();
            }
            return _instance;
        }
    }

    private static async Task<TestServers> StartAllAsync()
    {
        var postgres = PostgresServer.StartAsync();
        var rabbit = RabbitMqServer.StartAsync();
        var redis = RedisServer.StartAsync();
        try
        {
            await Task.WhenAll(postgres, rabbit, redis);
        }
        catch
        {
            // Whatever did start must not outlive the failure.
            foreach (var started in new Task<IAsyncDisposable>[] { Upcast(postgres), Upcast(rabbit), Upcast(redis) })
            {
                if (started.IsCompletedSuccessfully) await started.Result.DisposeAsync();
            }
            var errors = new[] { postgres.Exception, rabbit.Exception, redis.Exception }
                .Where(e => e is not null).SelectMany(e => e!.InnerExceptions).ToArray();
            throw errors.Length == 1 ? errors[0] : new AggregateException("Test servers did not start.", errors);
        }
        var servers = new TestServers(postgres.Result, rabbit.Result, redis.Result);
        ProcessExitHook.Register(servers.StopNow);
        return servers;
    }

    private static async Task<IAsyncDisposable> Upcast<T>(Task<T> task) where T : IAsyncDisposable => await task;

    private void StopNow()
    {
        Parallel.Invoke(Postgres.StopNow, RabbitMq.StopNow, Redis.StopNow);
    }
}

/// <summary>Runs stop actions once, at process exit (and on SIGTERM/Ctrl+C of the test host).</summary>
internal static class ProcessExitHook
{
    private static readonly List<Action> Actions = [];
    private static bool _registered;

    public static void Register(Action action)
    {
        lock (Actions)
        {
            Actions.Add(action);
            if (_registered) return;
            _registered = true;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => RunAll();
            Console.CancelKeyPress += (_, _) => RunAll();
        }
    }

    private static void RunAll()
    {
        Action[] actions;
        lock (Actions)
        {
            actions = [.. Actions];
            Actions.Clear();
        }
        foreach (var action in actions)
        {
            try { action(); }
            catch (Exception ex) { Console.Error.WriteLine($"Stopping test servers failed: {ex.Message}"); }
        }
    }
}
