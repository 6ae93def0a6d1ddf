namespace Gosuslugi.Health.Hosting;

/// <summary>A server run from the machine's packages as a child process (PostgreSQL, RabbitMQ, Redis).</summary>
public interface ILocalServer : IAsyncDisposable
{
    Task StartAsync(CancellationToken cancellationToken = default);
}

internal static class LocalServer
{
    /// <summary>
    /// Starts a new server; one that fails to start is disposed before the error surfaces, so that no
    /// half-started process or temporary folder outlives the caller.
    /// </summary>
    public static async Task<TServer> StartNewAsync<TServer>(TServer server, CancellationToken cancellationToken)
        where TServer : ILocalServer
    {
        try
        {
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }
}
