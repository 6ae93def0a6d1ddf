namespace Gosuslugi.Health.Hosting;

/// <summary>What the dashboard shows for one resource; updated by the orchestrator.</summary>
internal sealed class ResourceState
{
    private readonly Lock _gate = new();
    public LogBuffer Log { get; set; } = new();
    public string State { get; private set; } = "NotStarted";
    public string Health { get; private set; } = "Unknown";
    public string? HealthDetail { get; private set; }
    public DateTimeOffset? HealthCheckedAt { get; private set; }
    public int? ExitCode { get; private set; }
    public IReadOnlyList<int> ProcessIds { get; private set; } = [];
    public IReadOnlyList<string> Endpoints { get; set; } = [];
    public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>Completed when the resource exited or failed to start: nobody should keep waiting for it.</summary>
    public TaskCompletionSource Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void SetState(string state, int? exitCode = null)
    {
        lock (_gate)
        {
            State = state;
            if (exitCode is not null) ExitCode = exitCode;
        }
        if (state is "Exited" or "FailedToStart") Failed.TrySetResult();
    }

    public void SetProcessIds(params int?[] pids)
    {
        lock (_gate) ProcessIds = pids.Where(p => p is > 0).Select(p => p!.Value).ToArray();
    }

    public void SetHealth(bool healthy, string? detail)
    {
        lock (_gate)
        {
            Health = healthy ? "Healthy" : "Unhealthy";
            HealthDetail = detail;
            HealthCheckedAt = DateTimeOffset.UtcNow;
        }
        if (healthy) Ready.TrySetResult();
    }
}
