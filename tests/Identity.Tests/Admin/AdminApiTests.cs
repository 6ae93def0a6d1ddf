using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Seeding;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using static Gosuslugi.Health.Identity.Tests.Sessions.SessionTestSupport;

namespace Gosuslugi.Health.Identity.Tests.Admin;

/// <summary>The operators' API: find and see accounts (never documents or medical data), roles, lock and unlock.</summary>
public sealed class AdminApiTests(IdentityServiceFixture fixture) : IdentityTest(fixture), IAsyncLifetime
{
    private const string Accounts = "/api/v1/admin/accounts";

    private DemoAccounts _people = null!;
    private string _adminToken = null!;

    public async Task InitializeAsync()
    {
        _people = await Fixture.CreateAccountsAsync();
        _adminToken = (await NewBrowser().SignInAndRedeemAsync(_people.Admin.Username, _people.Admin.Password)).AccessToken;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpResponseMessage> AsAdminAsync(HttpMethod method, string path, object? body = null, string? token = null)
    {
        using var http = Fixture.CreateClient();
        return await SendAsync(http, method, path, token ?? _adminToken, body is null ? null : JsonContent.Create(body));
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await JsonAsync(response, status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        problem.GetProperty("detail").GetString()!.ShouldMatch("[а-яА-ЯёЁ]");
        return problem;
    }

    private Task<TokenSet> SignInAsync(DemoPatient person) => NewBrowser().SignInAndRedeemAsync(person.Username, person.Password);

    private async Task<HttpStatusCode> StatusWithAsync(string token)
    {
        using var http = Fixture.CreateClient();
        using var response = await GetAsync(http, SessionsPath, token);
        return response.StatusCode;
    }

    private Task<IList<string>> RolesAsync(Guid userId) =>
        Fixture.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<HealthUser>>();
            return await users.GetRolesAsync((await users.FindByIdAsync(userId.ToString()))!);
        });

    [Fact]
    public async Task Only_an_operator_reaches_the_admin_api()
    {
        var patient = await SignInAsync(_people.Patient);
        var target = _people.OtherPatient.UserId;
        var attempts = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, Accounts, null),
            (HttpMethod.Get, $"{Accounts}/{target}", null),
            (HttpMethod.Put, $"{Accounts}/{target}/roles", new { roles = new[] { "admin" } }),
            (HttpMethod.Post, $"{Accounts}/{target}/lock", new { until = DateTimeOffset.UtcNow.AddDays(1), reason = "проверка" }),
            (HttpMethod.Post, $"{Accounts}/{target}/unlock", null),
            (HttpMethod.Post, "/api/v1/admin/signing-keys/rotation", null),
        };
        foreach (var (method, path, body) in attempts)
        {
            using var asPatient = await AsAdminAsync(method, path, body, token: patient.AccessToken);
            asPatient.StatusCode.ShouldBe(HttpStatusCode.Forbidden, $"{method} {path}");
            (await asPatient.Content.ReadAsStringAsync()).ShouldNotContain(_people.OtherPatient.Username);
            using var http = Fixture.CreateClient();
            using var anonymous = await SendAsync(http, method, path, token: null, body is null ? null : JsonContent.Create(body));
            anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{method} {path}");
        }
        (await RolesAsync(target)).ShouldBe(["patient"]);
        (await StatusWithAsync((await SignInAsync(_people.OtherPatient)).AccessToken)).ShouldBe(HttpStatusCode.OK, "nobody was locked");
    }

    [Fact]
    public async Task The_list_finds_accounts_by_login_phone_email_or_snils_and_shows_no_documents()
    {
        var patientId = _people.Patient.UserId;
        var patient = await Fixture.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Id == patientId)));

        var byLogin = await JsonAsync(await AsAdminAsync(HttpMethod.Get, $"{Accounts}?query={Uri.EscapeDataString(_people.Patient.Username)}"));
        var row = byLogin.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == patientId);
        row.GetProperty("login").GetString().ShouldBe(_people.Patient.Username);
        row.GetProperty("name").GetString().ShouldBe(patient.FullName);
        row.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ShouldBe(["patient"]);
        row.GetProperty("level").GetString().ShouldBe(patient.Level.ToString().ToLowerInvariant());
        row.EnumerateObject().Select(p => p.Name).ShouldBe(
            ["id", "login", "name", "roles", "level", "phone", "email", "lockedUntil", "createdAt"], ignoreOrder: true);
        var raw = byLogin.GetRawText();
        raw.ShouldNotContain(_people.Patient.Snils);
        if (patient.PhoneNumber is { } phone)
        {
            raw.ShouldNotContain(phone);
            row.GetProperty("phone").GetString()!.ShouldContain("***");
            var byPhone = await JsonAsync(await AsAdminAsync(HttpMethod.Get, $"{Accounts}?query={Uri.EscapeDataString(phone)}"));
            byPhone.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ShouldContain(patientId);
        }
        if (patient.Email is { } email)
        {
            raw.ShouldNotContain(email);
            var byEmail = await JsonAsync(await AsAdminAsync(HttpMethod.Get, $"{Accounts}?query={Uri.EscapeDataString(email.ToUpperInvariant())}"));
            byEmail.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ShouldContain(patientId);
        }

        // SNILS finds the account, and is still not shown.
        var bySnils = await JsonAsync(await AsAdminAsync(HttpMethod.Get, $"{Accounts}?query={_people.Patient.Snils}"));
        bySnils.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ShouldBe([patientId]);
        bySnils.GetRawText().ShouldNotContain(_people.Patient.Snils);

        // The card: state, not documents.
        var card = await JsonAsync(await AsAdminAsync(HttpMethod.Get, $"{Accounts}/{patientId}"));
        card.GetProperty("documents").GetProperty("snils").GetBoolean().ShouldBeTrue();
        card.GetRawText().ShouldNotContain(_people.Patient.Snils);
        var documents = await DocumentsAsync(patientId);
        if (documents.Passport is { } passport) card.GetRawText().ShouldNotContain(passport.Number);
        if (documents.OmsPolicy is { } policy) card.GetRawText().ShouldNotContain(policy.Number);
    }

    [Fact]
    public async Task The_list_filters_by_role_and_level_and_pages_with_a_cursor()
    {
        var doctors = await JsonAsync(await AsAdminAsync(HttpMethod.Get, $"{Accounts}?role=doctor&limit=100"));
        var doctorRows = doctors.GetProperty("items").EnumerateArray().ToList();
        doctorRows.ShouldContain(i => i.GetProperty("id").GetGuid() == _people.Doctor.UserId);
        doctorRows.ShouldAllBe(i => i.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == "doctor"));

        var level = (await Fixture.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Id == _people.Patient.UserId)))).Level;
        var byLevel = await JsonAsync(await AsAdminAsync(HttpMethod.Get, $"{Accounts}?level={level.ToString().ToLowerInvariant()}&limit=100"));
        byLevel.GetProperty("items").EnumerateArray().ShouldAllBe(i => i.GetProperty("level").GetString() == level.ToString().ToLowerInvariant());

        // Two pages of one: different accounts, newest first, the second after the first.
        var first = await JsonAsync(await AsAdminAsync(HttpMethod.Get, $"{Accounts}?limit=1"));
        var cursor = first.GetProperty("nextCursor").GetString().ShouldNotBeNull();
        var second = await JsonAsync(await AsAdminAsync(HttpMethod.Get, $"{Accounts}?limit=1&cursor={Uri.EscapeDataString(cursor)}"));
        var a = first.GetProperty("items")[0];
        var b = second.GetProperty("items")[0];
        b.GetProperty("id").GetGuid().ShouldNotBe(a.GetProperty("id").GetGuid());
        b.GetProperty("createdAt").GetDateTimeOffset().ShouldBeLessThanOrEqualTo(a.GetProperty("createdAt").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("role=medical_organization", "role")]
    [InlineData("level=gold", "level")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1000", "limit")]
    public async Task A_bad_filter_is_a_validation_problem(string query, string field)
    {
        var problem = await ProblemAsync(await AsAdminAsync(HttpMethod.Get, $"{Accounts}?{query}"), HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty(field).EnumerateArray().Single().GetString()!.ShouldMatch("[а-яА-Я]");
    }

    [Fact]
    public async Task An_unknown_account_is_not_found()
    {
        var id = Guid.CreateVersion7();
        await ProblemAsync(await AsAdminAsync(HttpMethod.Get, $"{Accounts}/{id}"), HttpStatusCode.NotFound);
        await ProblemAsync(await AsAdminAsync(HttpMethod.Put, $"{Accounts}/{id}/roles", new { roles = new[] { "patient" } }), HttpStatusCode.NotFound);
        await ProblemAsync(await AsAdminAsync(HttpMethod.Post, $"{Accounts}/{id}/lock", new { until = DateTimeOffset.UtcNow.AddHours(1), reason = "проверка" }),
            HttpStatusCode.NotFound);
        await ProblemAsync(await AsAdminAsync(HttpMethod.Post, $"{Accounts}/{id}/unlock"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Roles_change_with_an_audit_event_and_taking_one_away_ends_the_sessions()
    {
        var target = _people.OtherPatient;
        var card = await JsonAsync(await AsAdminAsync(HttpMethod.Put, $"{Accounts}/{target.UserId}/roles", new { roles = new[] { "patient", "admin" } }));
        card.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ShouldBe(["admin", "patient"]);

        var asAdmin = await SignInAsync(target);
        asAdmin.Access.Claims("role").ShouldBe(["admin", "patient"], ignoreOrder: true);

        card = await JsonAsync(await AsAdminAsync(HttpMethod.Put, $"{Accounts}/{target.UserId}/roles", new { roles = new[] { "patient" } }));
        card.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ShouldBe(["patient"]);
        (await StatusWithAsync(asAdmin.AccessToken)).ShouldBe(HttpStatusCode.Unauthorized, "a token with the taken role stops at once");

        var events = await SecurityEventsAsync(Fixture.Factory.Services, target.UserId, SecurityEventKinds.AdminAccountChanged);
        events.Count.ShouldBe(2);
        events.ShouldAllBe(e => e.ActorId == _people.Admin.UserId && e.Details["action"] == "roles");
        events[1].Details["removed"].ShouldBe("admin");
    }

    [Theory]
    [InlineData("""{"roles":[]}""")]
    [InlineData("""{"roles":["medical_organization"]}""")]
    [InlineData("""{"roles":["patient","superuser"]}""")]
    [InlineData("""{"roles":["doctor"]}""")]
    [InlineData("""{}""")]
    public async Task Bad_roles_are_a_validation_problem_and_change_nothing(string body)
    {
        using var http = Fixture.CreateClient();
        using var response = await SendAsync(http, HttpMethod.Put, $"{Accounts}/{_people.Patient.UserId}/roles", _adminToken,
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await ProblemAsync(response, HttpStatusCode.BadRequest);
        (await RolesAsync(_people.Patient.UserId)).ShouldBe(["patient"]);
        (await SecurityEventsAsync(Fixture.Factory.Services, _people.Patient.UserId, SecurityEventKinds.AdminAccountChanged)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Locking_ends_the_sessions_at_once_and_unlocking_lets_the_person_back()
    {
        var target = _people.OtherPatient;
        var signedIn = await SignInAsync(target);
        var until = DateTimeOffset.UtcNow.AddDays(1);

        var card = await JsonAsync(await AsAdminAsync(HttpMethod.Post, $"{Accounts}/{target.UserId}/lock", new { until, reason = "Обращение о взломе" }));
        card.GetProperty("lockedUntil").GetDateTimeOffset().ShouldBe(until, TimeSpan.FromSeconds(1));
        card.GetProperty("activeSessions").GetInt32().ShouldBe(0);

        (await StatusWithAsync(signedIn.AccessToken)).ShouldBe(HttpStatusCode.Unauthorized);
        var browser = NewBrowser();
        using (var refresh = await browser.RefreshAsync(signedIn.RefreshToken!))
        {
            await refresh.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
        }
        using (var login = await browser.LoginAsync(browser.AuthorizeParameters(OAuthDriver.NewVerifier()), target.Username, target.Password))
        {
            login.StatusCode.ShouldNotBe(HttpStatusCode.Found, "a locked account cannot sign in");
        }

        card = await JsonAsync(await AsAdminAsync(HttpMethod.Post, $"{Accounts}/{target.UserId}/unlock"));
        card.TryGetProperty("lockedUntil", out var lockedUntil).ShouldBeTrue();
        lockedUntil.ValueKind.ShouldBe(JsonValueKind.Null);
        (await StatusWithAsync((await SignInAsync(target)).AccessToken)).ShouldBe(HttpStatusCode.OK);

        var events = await SecurityEventsAsync(Fixture.Factory.Services, target.UserId, SecurityEventKinds.AdminAccountChanged);
        events.Select(e => e.Details["action"]).ShouldBe(["lock", "unlock"]);
        events.ShouldAllBe(e => e.ActorId == _people.Admin.UserId);
        events[0].Details["reason"].ShouldBe("Обращение о взломе");
    }

    [Theory]
    [InlineData("""{"reason":"проверка"}""", "until")]
    [InlineData("""{"until":"2001-01-01T00:00:00Z","reason":"проверка"}""", "until")]
    [InlineData("""{"until":"2099-01-01T00:00:00Z"}""", "reason")]
    [InlineData("""{"until":"2099-01-01T00:00:00Z","reason":"   "}""", "reason")]
    public async Task A_bad_lock_is_a_validation_problem_and_locks_nothing(string body, string field)
    {
        using var http = Fixture.CreateClient();
        using var response = await SendAsync(http, HttpMethod.Post, $"{Accounts}/{_people.Patient.UserId}/lock", _adminToken,
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
        (await StatusWithAsync((await SignInAsync(_people.Patient)).AccessToken)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_operator_cannot_lock_themselves()
    {
        var problem = await ProblemAsync(await AsAdminAsync(HttpMethod.Post, $"{Accounts}/{_people.Admin.UserId}/lock",
            new { until = DateTimeOffset.UtcNow.AddHours(1), reason = "проверка" }), HttpStatusCode.Conflict);
        problem.GetProperty("reason").GetString().ShouldBe("own_account");
        (await StatusWithAsync(_adminToken)).ShouldBe(HttpStatusCode.OK);
    }
}
