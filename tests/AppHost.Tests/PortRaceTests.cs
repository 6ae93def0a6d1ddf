using Gosuslugi.Health.TestInfrastructure.Servers;

namespace Gosuslugi.Health.AppHost.Tests;

public sealed class PortRaceTests
{
    [Fact]
    public async Task A_server_whose_port_was_taken_before_it_bound_is_replaced_by_one_on_new_ports()
    {
        var made = new List<FlakyServer>();
        var server = await LocalServer.StartNewAsync(() =>
        {
            made.Add(new FlakyServer(failWith: made.Count == 0 ? "{error,{dist_port_already_used,36683}}" : null));
            return made[^1];
        }, CancellationToken.None);

        made.Count.ShouldBe(2);
        server.ShouldBeSameAs(made[1]);
        made[0].Disposed.ShouldBeTrue();
        made[1].Disposed.ShouldBeFalse();
    }

    [Fact]
    public async Task Any_other_start_failure_surfaces_at_once_and_leaves_nothing_running()
    {
        var made = new List<FlakyServer>();
        await Should.ThrowAsync<ServerStartException>(() => LocalServer.StartNewAsync(() =>
        {
            made.Add(new FlakyServer(failWith: "FATAL: data directory has wrong ownership"));
            return made[^1];
        }, CancellationToken.None));

        made.Count.ShouldBe(1);
        made[0].Disposed.ShouldBeTrue();
    }

    [Fact]
    public async Task A_port_that_stays_taken_fails_after_a_few_attempts()
    {
        var made = new List<FlakyServer>();
        await Should.ThrowAsync<ServerStartException>(() => LocalServer.StartNewAsync(() =>
        {
            made.Add(new FlakyServer(failWith: "Could not create server TCP listening socket 127.0.0.1:6379: bind: Address already in use"));
            return made[^1];
        }, CancellationToken.None));

        made.Count.ShouldBe(3);
        made.ShouldAllBe(server => server.Disposed);
    }

    private sealed class FlakyServer(string? failWith) : ILocalServer
    {
        public bool Disposed { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken = default) =>
            failWith is null ? Task.CompletedTask : throw new ServerStartException("exited while starting", failWith);

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
