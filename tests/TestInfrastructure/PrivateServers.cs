using Gosuslugi.Health.TestInfrastructure.Servers;

namespace Gosuslugi.Health.TestInfrastructure;

/// <summary>
/// Make sure a private server a test starts (e.g. <c>await using var rabbit = await RabbitMqServer.StartAsync()</c>)
/// is stopped even when the test host exits without disposing it. The Hosting library also leaves a
/// watchdog per server that kills it once the test process is gone.
/// </summary>
public static class ServerCleanup
{
    public static T StopAtExit<T>(this T server) where T : IAsyncDisposable
    {
        ProcessExitHook.Register(() => server.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10)));
        return server;
    }
}
