namespace Gosuslugi.Health.TestInfrastructure.Servers;

/// <summary>A server run from the machine's packages as a child process (PostgreSQL, RabbitMQ, Redis).</summary>
public interface ILocalServer : IAsyncDisposable
{
    Task StartAsync(CancellationToken cancellationToken = default);
}

internal static class LocalServer
{
    private const int Attempts = 3;

    // What PostgreSQL, Redis, epmd and the Erlang VM write when a port is already bound.
    private static readonly string[] PortTakenMarkers =
        ["dist_port_already_used", "eaddrinuse", "address already in use", "cannot bind", "could not bind"];

    /// <summary>
    /// Starts a new server made by <paramref name="create"/>; one that fails to start is disposed before
    /// the error surfaces, so that no half-started process or temporary folder outlives the caller.
    /// A port found free is only free until someone binds it: test projects run side by side, so when a
    /// start fails because a port was taken meanwhile, a new server (with newly chosen ports) is tried.
    /// </summary>
    public static async Task<TServer> StartNewAsync<TServer>(Func<TServer> create, CancellationToken cancellationToken)
        where TServer : ILocalServer
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = create();
            try
            {
                await server.StartAsync(cancellationToken);
                return server;
            }
            catch (ServerStartException ex) when (attempt < Attempts && IsPortTaken(ex))
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    internal static bool IsPortTaken(ServerStartException exception) =>
        PortTakenMarkers.Any(marker => exception.Message.Contains(marker, StringComparison.OrdinalIgnoreCase));
}
