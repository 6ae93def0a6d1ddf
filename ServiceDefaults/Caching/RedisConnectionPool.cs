using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Gosuslugi.Health.ServiceDefaults.Caching;

/// <summary>
/// A bounded pool of Redis connections. A connection that failed or timed out is closed rather than reused (its
/// reply stream would be out of step); the next command opens a new one, which is how we reconnect after a restart.
/// </summary>
internal sealed class RedisConnectionPool(RedisOptions options) : IDisposable
{
    private readonly ConcurrentBag<RedisConnection> _idle = new();
    private readonly SemaphoreSlim _slots = new(options.MaxConnections, options.MaxConnections);
    private volatile bool _disposed;

    public RedisOptions Options => options;

    public async Task<RedisReply> ExecuteAsync(byte[][] command, CancellationToken cancellationToken) =>
        (await ExecuteAsync([command], cancellationToken))[0];

    public async Task<RedisReply[]> ExecuteAsync(IReadOnlyList<byte[][]> commands, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.CommandTimeout);
        try
        {
            await _slots.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No Redis connection became free within {options.CommandTimeout.TotalSeconds} s.");
        }

        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var reused = _idle.TryTake(out var connection);
                connection ??= await RedisConnection.ConnectAsync(options, timeout.Token);
                try
                {
                    var replies = await connection.ExecuteAsync(commands, timeout.Token);
                    if (_disposed) connection.Dispose();
                    else _idle.Add(connection);
                    return replies;
                }
                catch (Exception ex) when (reused && attempt == 0 && !connection.ReceivedAny && ex is IOException or SocketException)
                {
                    // An idle connection the server had already closed (restart, idle timeout): the command never ran.
                    connection.Dispose();
                }
                catch
                {
                    connection.Dispose();
                    throw;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Redis did not answer within {options.CommandTimeout.TotalSeconds} s.");
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection)) connection.Dispose();
    }
}
