using System.Net;
using Gosuslugi.Health.Gateway.Tests.Infrastructure;
using Gosuslugi.Health.TestInfrastructure;

namespace Gosuslugi.Health.Gateway.Tests;

public sealed class AuthenticationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    public static TheoryData<string> BadTokens =>
    [
        "expired", "wrong-audience", "wrong-issuer", "alg-none", "another-key", "wrong-typ", "hs256-confusion", "tampered",
        "garbage", "empty",
    ];

    static string Create(TestTokenIssuer issuer, string kind) => kind switch
    {
        "expired" => issuer.CreateExpiredToken(),
        "wrong-audience" => issuer.CreateTokenWithWrongAudience(),
        "wrong-issuer" => issuer.CreateTokenWithWrongIssuer(),
        "alg-none" => issuer.CreateUnsignedToken(),
        "another-key" => issuer.CreateTokenSignedByAnotherKey(),
        "wrong-typ" => issuer.CreateTokenWithWrongType(),
        "hs256-confusion" => issuer.CreateHs256Token(),
        "tampered" => issuer.CreateTamperedToken(),
        "garbage" => "not.a.jwt",
        "empty" => "",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    [Fact]
    public async Task No_token_is_401_problem_and_never_reaches_the_service()
    {
        var path = $"/api/v1/immunizations/{Guid.NewGuid()}";

        using var response = await fixture.GetAsync(path);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ShouldContain(h => h.Scheme == "Bearer");
        response.Headers.Contains("X-Correlation-Id").ShouldBeTrue();
        fixture.Backends["immunizations"].Received.ShouldNotContain(r => r.PathAndQuery == path);
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_is_401_problem_and_never_reaches_the_service(string kind)
    {
        var path = $"/api/v1/records/{Guid.NewGuid()}";

        using var response = await fixture.GetAsync(path, Create(fixture.Issuer, kind));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetRawText().ShouldNotContain("IDX", Case.Sensitive, "token validation internals stay in the log");
        fixture.Backends["records"].Received.ShouldNotContain(r => r.PathAndQuery == path);
    }

    [Fact]
    public async Task A_valid_token_is_200_and_reaches_the_service_with_the_path_intact()
    {
        var path = $"/api/v1/immunizations/{Guid.NewGuid()}?page=2";

        using var response = await fixture.GetAsync(path, fixture.PatientToken());

        var echo = await GatewayFixture.EchoOf(response);
        echo.Service.ShouldBe("immunizations");
        echo.PathAndQuery.ShouldBe(path);
    }

    [Fact]
    public async Task A_medical_organization_client_credentials_token_is_accepted()
    {
        var token = fixture.Issuer.CreateToken("gp-clinic-7", ["medical_organization"], ["health.publish"],
            clientId: "gp-clinic-7", extraClaims: new Dictionary<string, object> { ["org_id"] = Guid.CreateVersion7(), ["org_name"] = "ГП №7" });

        using var response = await fixture.SendAsync(HttpMethod.Post, "/api/v1/immunizations", token);

        (await GatewayFixture.EchoOf(response)).Method.ShouldBe("POST");
    }
}
