using System.Diagnostics;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gosuslugi.Health.BusTopology;

/// <summary>
/// Builds a service's host exactly as the service's own Program builds it (every registration, consumers included) and
/// stops the program at <c>Build()</c>: nothing after it runs, no hosted service starts. This is the hook that
/// WebApplicationFactory and dotnet-ef use (the "Microsoft.Extensions.Hosting" diagnostic events); their resolver is
/// shipped as source inside those tools only, so this is our small copy.
/// </summary>
internal sealed class ServiceHostCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    private const string HostingListener = "Microsoft.Extensions.Hosting";

    // Another host built in this process at the same time (a test's WebApplicationFactory) raises the same events on
    // another execution context: only the program this capture runs is stopped.
    private static readonly AsyncLocal<ServiceHostCapture?> Running = new();

    private readonly Action<IServiceCollection> _configureServices;
    private readonly List<IDisposable> _subscriptions = [];
    private IHost? _host;

    private ServiceHostCapture(Action<IServiceCollection> configureServices) => _configureServices = configureServices;

    /// <summary>
    /// Runs <paramref name="service"/>'s entry point with <paramref name="args"/> until its host is built; returns that
    /// host, not started. <paramref name="configureServices"/> runs on the service's registrations just before the build.
    /// </summary>
    public static async Task<IHost> BuildAsync(Assembly service, string[] args, Action<IServiceCollection> configureServices)
    {
        var entryPoint = service.EntryPoint
            ?? throw new InvalidOperationException($"{service.GetName().Name} has no entry point.");
        var capture = new ServiceHostCapture(configureServices);
        using var allListeners = DiagnosticListener.AllListeners.Subscribe(capture);
        Running.Value = capture;
        try
        {
            var result = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [args]);
            if (result is Task task) await task;
        }
        catch (Exception e) when (capture._host is not null && Unwrap(e) is HostAbortedException)
        {
            // Thrown by OnNext below: the program stops right after building its host.
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
        finally
        {
            Running.Value = null;
            lock (capture._subscriptions)
            {
                foreach (var subscription in capture._subscriptions) subscription.Dispose();
            }
        }
        return capture._host
            ?? throw new InvalidOperationException($"{service.GetName().Name}'s Program ended without building a host.");
    }

    private static Exception Unwrap(Exception e) => e is TargetInvocationException { InnerException: { } inner } ? inner : e;

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name != HostingListener) return;
        lock (_subscriptions) _subscriptions.Add(listener.Subscribe(this));
    }

    public void OnNext(KeyValuePair<string, object?> hostingEvent)
    {
        if (Running.Value != this || _host is not null) return;
        switch (hostingEvent.Key, hostingEvent.Value)
        {
            case ("HostBuilding", HostApplicationBuilder builder):
                _configureServices(builder.Services);
                break;
            case ("HostBuilding", IHostBuilder builder):
                builder.ConfigureServices(services => _configureServices(services));
                break;
            case ("HostBuilt", IHost host):
                _host = host;
                throw new HostAbortedException();
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }
}
