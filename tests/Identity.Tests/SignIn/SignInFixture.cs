using System.Net;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Seeding;
using Gosuslugi.Health.Identity.Tests.Sessions;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Identity.Tests.SignIn;

/// <summary>
/// A clock that runs with real time from an offset the test sets: lockouts end, codes expire and TOTP steps pass
/// without waiting for them.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + Offset;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    /// <summary>
    /// Moves the clock back to 2 seconds into the current 30-second TOTP step, so that a test has 28 seconds before
    /// "the current step" changes under it.
    /// </summary>
    public void MoveToStartOfTotpStep()
    {
        var intoStep = TimeSpan.FromTicks(GetUtcNow().UtcTicks % TimeSpan.FromSeconds(30).Ticks);
        Advance(TimeSpan.FromSeconds(2) - intoStep);
    }
}

/// <summary>
/// identity of its own for the sign-in tests, on its own database and with a <see cref="TestClock"/>: moving time
/// (lockouts, code expiry) must not disturb the other tests' tokens. The pending sign-in lives 10 minutes here so that
/// a 5-minute code can expire while the sign-in waits.
/// </summary>
public sealed class SignInFixture : IAsyncLifetime
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "identity-signin-tests-" + Guid.NewGuid().ToString("N"));

    private IdentityFactory? _root;

    public TestClock Clock { get; } = new();
    public WebApplicationFactory<Program> Factory { get; private set; } = null!;
    public Mailbox Mailbox => new(Path.Combine(_dataFolder, "mailbox"));
    public DemoAccounts Demo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        var demoFile = Path.Combine(_dataFolder, "demo.json");
        var settings = IdentityServiceFixture.Settings(await servers.Postgres.CreateDatabaseAsync(), await servers.RabbitMq.CreateVirtualHostAsync(), demoFile);
        settings["Identity:SignIn:PendingLifetime"] = "00:10:00";
        settings["Identity:Mailbox:Directory"] = Mailbox.Directory;
        _root = new IdentityFactory(settings);
        Factory = _root.WithWebHostBuilder(web =>
            web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock)));
        _ = Factory.Server;
        Demo = JsonSerializer.Deserialize<DemoAccounts>(await File.ReadAllTextAsync(demoFile))!;
    }

    /// <summary>A browser: its own cookies (which the test can read), redirects not followed, from <paramref name="address"/>.</summary>
    public Browser NewBrowser(string? address = null)
    {
        // By default an address of its own (a /64 of the IPv6 documentation prefix), so that tests never share a throttle.
        address ??= $"2001:db8:{Random.Shared.Next(0x10000):x}:{Random.Shared.Next(0x10000):x}::1";
        var cookies = new CookieContainer();
        var http = Factory.CreateDefaultClient(new Uri(IdentityServiceFixture.Issuer), new CookieContainerHandler(cookies));
        // The gateway's X-Forwarded-For: identity takes the client's address from it (the test host is a trusted hop).
        http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36");
        return new Browser(http, cookies, new OAuthDriver(http, Demo.PublicClient.ClientId, Demo.PublicClient.RedirectUri));
    }

    /// <summary>A new patient of the test's own, with a confirmed phone and e-mail and, unless told otherwise, an authenticator app.</summary>
    public Task<DemoPatient> NewPatientAsync(bool withAuthenticatorApp = true) =>
        WithScopeAsync(sp => sp.GetRequiredService<DemoDataSeeder>().CreatePatientAsync(withAuthenticatorApp: withAuthenticatorApp));

    /// <summary>New people of the test's own: a patient with an authenticator app, one with SMS only, a doctor, an admin.</summary>
    public Task<DemoAccounts> CreateAccountsAsync() => WithScopeAsync(sp => sp.GetRequiredService<DemoDataSeeder>().CreateDemoAccountsAsync());

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public Task<T> WithDbAsync<T>(Func<IdentityDb, Task<T>> action) => WithScopeAsync(sp => action(sp.GetRequiredService<IdentityDb>()));

    public Task<List<SecurityEventRecorded>> SecurityEventsAsync(Guid? subjectId, string kind) =>
        SessionTestSupport.SecurityEventsAsync(Factory.Services, subjectId, kind);

    public async Task DisposeAsync()
    {
        if (_root is not null) await _root.DisposeAsync(); // with the factory derived from it
        try { Directory.Delete(_dataFolder, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}

/// <param name="Cookies">What the browser holds: the tests look at the sign-in, session and device cookies.</param>
public sealed record Browser(HttpClient Http, CookieContainer Cookies, OAuthDriver Driver)
{
    public Cookie? Cookie(string name) => Cookies.GetAllCookies().FirstOrDefault(c => c.Name == name);
}

[CollectionDefinition(Name)]
public sealed class SignInCollection : ICollectionFixture<SignInFixture>
{
    public const string Name = "signin";
}
