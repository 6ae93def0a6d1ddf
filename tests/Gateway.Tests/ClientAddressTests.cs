using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Gosuslugi.Health.Gateway.Tests.Infrastructure;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Gosuslugi.Health.Gateway.Tests;

/// <summary>
/// Behind the gateway, "audit" is a real ServiceDefaults service that reports the client address it sees. The client
/// connects from 127.0.0.2, the gateway to the service from 127.0.0.1, so the two can be told apart.
/// </summary>
public sealed class AddressReportingFixture : GatewayFixture
{
    public const string ClientAddress = "127.0.0.2";

    WebApplication? _service;

    protected override async Task BeforeGatewayStartsAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(Issuer.Configuration)
        {
            ["ConnectionStrings:redis"] = (await TestServers.GetAsync()).Redis.ConnectionString,
        });
        builder.AddServiceDefaults();
        _service = builder.Build();
        _service.MapGet("/api/v1/audit/whoami", (HttpContext c) => new { address = c.Connection.RemoteIpAddress?.ToString() });
        await _service.StartAsync();
    }

    protected override IReadOnlyDictionary<string, string?> Settings(IReadOnlyDictionary<string, EchoBackend> backends) =>
        new Dictionary<string, string?> { ["services:audit:http:0"] = _service!.Urls.Single() };

    /// <summary>A client whose connections come from <see cref="ClientAddress"/>.</summary>
    public HttpClient CreateClientFrom127_0_0_2(string token)
    {
        var port = Gateway.Address.Port;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(ClientAddress), 0));
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_service is not null) await _service.DisposeAsync();
    }
}

public sealed class ClientAddressTests(AddressReportingFixture fixture) : IClassFixture<AddressReportingFixture>
{
    async Task<string> AddressSeenByTheServiceAsync(params (string Name, string Value)[] headers)
    {
        using var client = fixture.CreateClientFrom127_0_0_2(fixture.PatientToken());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit/whoami");
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("address").GetString()!;
    }

    [Fact]
    public async Task A_service_behind_the_gateway_sees_the_clients_address_not_the_gateways()
    {
        (await AddressSeenByTheServiceAsync()).ShouldBe(AddressReportingFixture.ClientAddress);
    }

    [Fact]
    public async Task A_client_cannot_make_the_service_believe_another_address()
    {
        (await AddressSeenByTheServiceAsync(
                ("X-Forwarded-For", "203.0.113.66"),
                ("Forwarded", "for=203.0.113.66"),
                ("X-Real-IP", "203.0.113.66")))
            .ShouldBe(AddressReportingFixture.ClientAddress);
    }
}
