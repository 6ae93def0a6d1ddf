using System.Net.Http.Headers;
using System.Net.Http.Json;
using Gosuslugi.Health.TestInfrastructure;

namespace Gosuslugi.Health.Gateway.Tests.Infrastructure;

/// <summary>
/// One gateway for a test class: identity and every service replaced by echo backends, tokens from
/// <see cref="TestTokenIssuer"/> (whose JWKS the gateway trusts through Identity:Url).
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    public TestTokenIssuer Issuer { get; private set; } = null!;
    public Dictionary<string, EchoBackend> Backends { get; } = [];
    public GatewayApp Gateway { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    /// <summary>Extra settings of a derived fixture, applied over the defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings(IReadOnlyDictionary<string, EchoBackend> backends) =>
        new Dictionary<string, string?>();

    /// <summary>Runs after the echo backends started and before the gateway is configured, e.g. to start a real service.</summary>
    protected virtual Task BeforeGatewayStartsAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Issuer = await TestTokenIssuer.StartAsync();
        foreach (var service in GatewayApp.AllServices)
        {
            Backends[service] = await EchoBackend.StartAsync(service);
        }

        await BeforeGatewayStartsAsync();

        var settings = new Dictionary<string, string?>(GatewayApp.ServiceUrls(Backends).Concat(Issuer.Configuration))
        {
            ["ConnectionStrings:redis"] = (await TestServers.GetAsync()).Redis.ConnectionString,
            ["Gateway:RateLimit:PermitsPerSecond"] = "10000",
            ["Gateway:RateLimit:Burst"] = "10000",
        };
        foreach (var (key, value) in Settings(Backends))
        {
            settings[key] = value;
        }

        Gateway = GatewayApp.Start(settings);
        Client = Gateway.CreateGatewayClient();
    }

    public virtual async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Gateway is not null) await Gateway.DisposeAsync();
        foreach (var backend in Backends.Values) await backend.DisposeAsync();
        if (Issuer is not null) await Issuer.DisposeAsync();
    }

    public string PatientToken(Guid? sub = null, string clientId = "web") =>
        Issuer.CreateToken((sub ?? Guid.CreateVersion7()).ToString(), roles: ["patient"], scopes: ["health"], clientId: clientId);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? token = null, IEnumerable<KeyValuePair<string, string>>? headers = null) =>
        SendAsync(HttpMethod.Get, path, token, headers);

    public static async Task<EchoedRequest> EchoOf(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<EchoedRequest>())!;
    }
}
