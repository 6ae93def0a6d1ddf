using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Gosuslugi.Health.ServiceDefaults.Messaging;

/// <summary>Wakes the relay of <typeparamref name="TDb"/> as soon as new outbox rows are committed.</summary>
internal sealed class OutboxSignal<TDb> where TDb : DbContext
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // 1 while a wake-up is waiting for the relay: every request that commits outbox rows notifies, and the channel's
    // write takes a lock, so all but the first notification before the relay wakes are answered without touching it.
    private int _notified;

    public void Notify()
    {
        if (Interlocked.Exchange(ref _notified, 1) == 0) _channel.Writer.TryWrite(true);
    }

    /// <summary>Waits for a notification or the timeout, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_channel.Reader.TryRead(out _))
        {
            Woken();
            return;
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(cts.Token);
            Woken();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // timeout: poll anyway
        }
    }

    // Before the relay reads the outbox: a commit notifying from now on wakes it again, one before is in what it reads.
    private void Woken() => Volatile.Write(ref _notified, 0);
}

/// <summary>
/// Notices SaveChanges that stored outbox rows and signals the relay once they are visible to other connections:
/// right after SaveChanges, or at commit when the caller's own transaction is open.
/// </summary>
internal sealed class OutboxSignalInterceptor<TDb>(OutboxSignal<TDb> signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
    where TDb : DbContext
{
    private static readonly object Marker = new();

    // Only contexts inside their caller's transaction are remembered until it commits; ConditionalWeakTable forgets a
    // context whose transaction never committed, but every change to it takes a lock, so a plain SaveChanges skips it.
    private readonly ConditionalWeakTable<DbContext, object> _pendingCommit = new();

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Mark(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Mark(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        AfterSave(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        AfterSave(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    private void Mark(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is not null && HasOutboxRows(context, saved: false))
        {
            _pendingCommit.AddOrUpdate(context, Marker);
        }
    }

    private void AfterSave(DbContext? context)
    {
        // Committed by SaveChanges itself: its outbox rows are tracked as saved now (or still as added when the caller
        // accepts changes later); an older tracked row only costs the relay one look at an empty outbox.
        if (context is not null && context.Database.CurrentTransaction is null && HasOutboxRows(context, saved: true))
        {
            signal.Notify();
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && _pendingCommit.Remove(context)) signal.Notify();
    }

    private static bool HasOutboxRows(DbContext context, bool saved)
    {
        foreach (var entry in context.ChangeTracker.Entries<OutboxMessage>())
        {
            if (entry.State == EntityState.Added || (saved && entry.State == EntityState.Unchanged)) return true;
        }
        return false;
    }
}
