using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.ServiceDefaults.Tests.TestData;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Gosuslugi.Health.ServiceDefaults.Tests;

/// <summary>One host with defaults only (no dependencies) and a token issuer, shared by the tests of this class.</summary>
public sealed class HttpDefaultsFixture : IAsyncLifetime
{
    public TestTokenIssuer Issuer { get; private set; } = null!;
    public WebApplication App { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Issuer = await TestTokenIssuer.StartAsync();
        App = await TestHost.StartAsync(Issuer.Configuration.ToDictionary(), map: app =>
        {
            app.MapGet("/boom", string () => throw new InvalidOperationException("secret internals: Host=db;Password=hunter2"));
            app.MapGet("/hsm-down", string () => throw new Gosuslugi.Health.ServiceDefaults.Hsm.HsmUnavailableException("The HSM token t-1 cannot be opened: CKR_PIN_INCORRECT"));
            app.MapGet("/me", (HttpContext c) => TypedResults.Ok(new { sub = c.User.GetSubjectId(), scopes = c.User.GetScopes() }))
                .RequireAuthorization(Policies.Patient);
            app.MapGet("/org", (HttpContext c) => TypedResults.Ok(new { id = c.User.GetOrganizationId(), name = c.User.GetOrganizationName() }))
                .RequireAuthorization(Policies.MedicalOrganization);
            app.MapPost("/validate", () => Problems.Validation(new Dictionary<string, string[]> { ["snils"] = ["СНИЛС не найден."] }));
            app.MapPost("/echo", (EchoBody body) => TypedResults.Ok(body));
            app.MapPost("/typed", (Json<TypedBody> body) => TypedResults.Ok(body.Value));
            app.MapPost("/optional", (Json<TypedBody>? body) => TypedResults.Ok(body?.Value.Name ?? "no body"));
            app.MapPost("/form", async (HttpRequest request) => TypedResults.Ok((await request.ReadFormAsync())["name"].ToString())).DisableAntiforgery();
            app.MapGet("/search", (string q) => TypedResults.Ok(q));
        });
        Client = App.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}

public sealed record EchoBody(string? Name, List<EchoItem>? Items);

public sealed record EchoItem(string? Code);

public sealed record TypedBody(string? Name, DateOnly? On) : IJsonRequest<TypedBody>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<TypedBody>.FormatMessages { get; } =
        new Dictionary<string, string> { ["on"] = "Дата указывается в формате ГГГГ-ММ-ДД." };
}

public sealed class HttpDefaultsTests(HttpDefaultsFixture f) : IClassFixture<HttpDefaultsFixture>
{
    [Fact]
    public async Task Live_and_ready_answer_200_anonymously()
    {
        using var live = await f.Client.GetAsync("/health/live");
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var ready = await f.Client.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task Unhandled_exception_becomes_a_500_problem_with_trace_id_and_no_internals()
    {
        using var response = await f.Client.GetAsync("/boom");
        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var text = await response.Content.ReadAsStringAsync();
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("status").GetInt32().ShouldBe(500);
        problem.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
        problem.GetProperty("correlationId").GetString().ShouldNotBeNullOrWhiteSpace();
        text.ShouldNotContain("secret internals");
        text.ShouldNotContain("hunter2");
        text.ShouldNotContain("InvalidOperationException");
        text.ShouldNotContain(" at ");
    }

    [Fact]
    public async Task An_unreachable_hsm_is_a_503_problem_to_retry_later_without_internals()
    {
        using var response = await f.Client.GetAsync("/hsm-down");
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.ShouldNotBeNull();
        var text = await response.Content.ReadAsStringAsync();
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("status").GetInt32().ShouldBe(503);
        problem.GetProperty("detail").GetString()!.ShouldContain("Хранилище ключей временно недоступно");
        problem.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
        text.ShouldNotContain("CKR_");
        text.ShouldNotContain("t-1");
    }

    [Fact]
    public async Task Unknown_route_is_a_404_problem()
    {
        using var response = await f.Client.GetAsync("/no/such/thing");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("traceId").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Validation_problem_has_russian_title_and_names_the_field()
    {
        using var response = await f.Client.PostAsync("/validate", null);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("title").GetString().ShouldBe("Запрос содержит ошибки");
        problem.GetProperty("errors").GetProperty("snils")[0].GetString().ShouldBe("СНИЛС не найден.");
    }

    [Fact]
    public async Task Correlation_id_is_echoed_when_sane_and_replaced_when_not()
    {
        using var sane = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        sane.Headers.Add("X-Correlation-Id", "abc-123_x.y");
        using var saneResponse = await f.Client.SendAsync(sane);
        saneResponse.Headers.GetValues("X-Correlation-Id").Single().ShouldBe("abc-123_x.y");

        using var evil = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        evil.Headers.TryAddWithoutValidation("X-Correlation-Id", "bad value\twith<script>" + new string('x', 80));
        using var evilResponse = await f.Client.SendAsync(evil);
        var replaced = evilResponse.Headers.GetValues("X-Correlation-Id").Single();
        replaced.ShouldNotContain("script");
        replaced.Length.ShouldBeLessThanOrEqualTo(64);
    }

    [Fact]
    public async Task Valid_patient_token_is_accepted_and_claims_keep_their_jwt_names()
    {
        var sub = Guid.NewGuid();
        var response = await GetAsync("/me", f.Issuer.CreateToken(sub.ToString(), ["patient"], ["openid", "health"]));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("sub").GetGuid().ShouldBe(sub);
    }

    [Fact]
    public async Task No_token_is_401_problem_with_bearer_challenge()
    {
        using var response = await f.Client.GetAsync("/me");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    public static TheoryData<string> BadTokens => new()
    {
        "expired", "wrong-audience", "wrong-issuer", "alg-none", "other-key", "wrong-typ", "hs256", "tampered", "garbage",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Bad_token_is_401_invalid_token_problem(string kind)
    {
        var token = kind switch
        {
            "expired" => f.Issuer.CreateExpiredToken(),
            "wrong-audience" => f.Issuer.CreateTokenWithWrongAudience(),
            "wrong-issuer" => f.Issuer.CreateTokenWithWrongIssuer(),
            "alg-none" => f.Issuer.CreateUnsignedToken(),
            "other-key" => f.Issuer.CreateTokenSignedByAnotherKey(),
            "wrong-typ" => f.Issuer.CreateTokenWithWrongType(),
            "hs256" => f.Issuer.CreateHs256Token(),
            "tampered" => f.Issuer.CreateTamperedToken(),
            _ => "not.a.jwt",
        };
        var response = await GetAsync("/me", token);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldContain("error=\"invalid_token\"");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task Patient_token_on_medical_organization_endpoint_is_403_problem()
    {
        var response = await GetAsync("/org", f.Issuer.CreateToken(Guid.NewGuid().ToString(), ["patient"], ["health"]));
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task Medical_organization_needs_role_scope_and_org_id()
    {
        var orgId = Guid.NewGuid();
        var ok = await GetAsync("/org", f.Issuer.CreateToken("mo-client", ["medical_organization"], ["health.publish"],
            new Dictionary<string, object> { ["org_id"] = orgId.ToString(), ["org_name"] = "ГБУЗ Поликлиника № 1" }));
        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await ok.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("id").GetGuid().ShouldBe(orgId);
        body.GetProperty("name").GetString().ShouldBe("ГБУЗ Поликлиника № 1");

        var noOrg = await GetAsync("/org", f.Issuer.CreateToken("mo-client", ["medical_organization"], ["health.publish"]));
        noOrg.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var noScope = await GetAsync("/org", f.Issuer.CreateToken("mo-client", ["medical_organization"], ["health"],
            new Dictionary<string, object> { ["org_id"] = orgId.ToString() }));
        noScope.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Token_signed_with_a_rotated_key_is_accepted_after_jwks_refresh()
    {
        (await GetAsync("/me", f.Issuer.CreateToken(Guid.NewGuid().ToString(), ["patient"], ["health"]))).StatusCode.ShouldBe(HttpStatusCode.OK);
        f.Issuer.RotateKey();
        // The first request with the new kid may only trigger the refresh (rate-limited to one per 5 s).
        await TestHost.WaitUntilAsync(async () =>
            (await GetAsync("/me", f.Issuer.CreateToken(Guid.NewGuid().ToString(), ["patient"], ["health"]))).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(15), "the rotated key to be accepted");
    }

    [Fact]
    public async Task Server_span_is_tagged_with_method_route_and_status()
    {
        var stopped = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        var sub = Guid.NewGuid().ToString();
        (await GetAsync("/me", f.Issuer.CreateToken(sub, ["patient"], ["health"]))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await TestHost.WaitUntilAsync(() => Task.FromResult(stopped.Any(a => (a.GetTagItem("http.route") as string) == "/me")),
            TimeSpan.FromSeconds(5), "the server span");
        var span = stopped.First(a => (a.GetTagItem("http.route") as string) == "/me");
        span.GetTagItem("http.request.method").ShouldBe("GET");
        span.GetTagItem("http.response.status_code").ShouldBe(200);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await f.Client.SendAsync(request);
    }
}
