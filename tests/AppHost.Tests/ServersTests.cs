using System.Net.Sockets;
using Gosuslugi.Health.TestInfrastructure.Servers;
using Gosuslugi.Health.TestInfrastructure;
using Npgsql;

namespace Gosuslugi.Health.AppHost.Tests;

public sealed class ServersTests
{
    [Fact]
    public async Task Test_servers_give_isolated_databases_vhosts_and_redis()
    {
        var servers = await TestServers.GetAsync();
        (await TestServers.GetAsync()).ShouldBeSameAs(servers);

        var first = await servers.Postgres.CreateDatabaseAsync();
        var second = await servers.Postgres.CreateDatabaseAsync();
        first.ShouldNotBe(second);
        await using (var connection = new NpgsqlConnection(first))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
            ((long)(await command.ExecuteScalarAsync())!).ShouldBe(0);
        }

        var vhost = await servers.RabbitMq.CreateVirtualHostAsync();
        vhost.ShouldStartWith($"amqp://guest:guest@127.0.0.1:{servers.RabbitMq.Port}/");
        (await servers.RabbitMq.CreateVirtualHostAsync()).ShouldNotBe(vhost);

        servers.Redis.ConnectionString.ShouldBe($"127.0.0.1:{servers.Redis.Port}");
        (await servers.Redis.CommandAsync("SET k v")).ShouldBe("+OK");
    }

    [Fact]
    public async Task A_private_rabbitmq_restarts_on_the_same_port_and_keeps_its_data()
    {
        await using var rabbit = await RabbitMqServer.StartAsync();
        var vhost = await rabbit.CreateVirtualHostAsync("kept");
        var (nodePid, epmdPid) = (rabbit.ProcessId!.Value, rabbit.EpmdProcessId!.Value);

        await rabbit.StopAsync();
        rabbit.IsRunning.ShouldBeFalse();
        IsAlive(nodePid).ShouldBeFalse();
        IsAlive(epmdPid).ShouldBeFalse();
        Ports.IsListening(rabbit.Port).ShouldBeFalse();

        await rabbit.StartAsync();
        using var http = rabbit.CreateManagementClient();
        (await http.GetAsync("api/vhosts/kept")).IsSuccessStatusCode.ShouldBeTrue();
        rabbit.GetConnectionString("kept").ShouldBe(vhost);
    }

    [Fact]
    public async Task Disposing_a_server_removes_its_processes_and_folder()
    {
        var redis = await RedisServer.StartAsync();
        var pid = redis.ProcessId!.Value;
        var folder = redis.DataDirectory;
        await redis.DisposeAsync();
        IsAlive(pid).ShouldBeFalse();
        Directory.Exists(folder).ShouldBeFalse();

        var postgres = await PostgresServer.StartAsync();
        pid = postgres.ProcessId!.Value;
        folder = postgres.DataDirectory;
        await postgres.DisposeAsync();
        IsAlive(pid).ShouldBeFalse();
        Directory.Exists(folder).ShouldBeFalse();
    }

    private static bool IsAlive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
}
