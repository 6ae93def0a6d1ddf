using OpenIddict.Abstractions;
using Gosuslugi.Health.Identity.Tokens;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Gosuslugi.Health.Contracts;

namespace Gosuslugi.Health.Identity.Tests;

public sealed class DemoDataTests(IdentityServiceFixture fixture) : IdentityTest(fixture)
{
    [Fact]
    public async Task A_public_client_from_an_earlier_version_gets_the_grants_added_since()
    {
        var clientId = "older-web-" + Guid.NewGuid().ToString("N")[..8];
        await Fixture.WithScopeAsync(sp => sp.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            DisplayName = "Старая версия",
            ClientType = OpenIddictConstants.ClientTypes.Public,
            RedirectUris = { new Uri("http://localhost/callback") },
            Permissions =
            {
                OpenIddictConstants.Permissions.Endpoints.Authorization, OpenIddictConstants.Permissions.Endpoints.Token,
                OpenIddictConstants.Permissions.GrantTypes.AuthorizationCode, OpenIddictConstants.Permissions.GrantTypes.RefreshToken,
            },
        }).AsTask());

        await Fixture.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<ClientRegistry>().EnsurePublicClientAsync(clientId, "Старая версия", "http://localhost/callback", default);
            return true;
        });

        var permissions = await Fixture.WithScopeAsync(async sp =>
        {
            var applications = sp.GetRequiredService<IOpenIddictApplicationManager>();
            return await applications.GetPermissionsAsync((await applications.FindByClientIdAsync(clientId))!);
        });
        permissions.ShouldContain(OpenIddictConstants.Permissions.GrantTypes.TokenExchange);
        permissions.ShouldContain(OpenIddictConstants.Permissions.Prefixes.Scope + "health.delegated.records");
    }

    [Fact]
    public async Task The_demo_file_has_exactly_the_contracted_shape()
    {
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Fixture.DemoFile));
        var root = json.RootElement;
        Names(root).ShouldBe(["patient", "otherPatient", "doctor", "admin", "medicalOrganization", "pharmacy", "publicClient", "gateway"], ignoreOrder: true);
        // Everyone has a phone and e-mail for sign-in codes; everyone but the other patient an authenticator app.
        Names(root.GetProperty("patient")).ShouldBe(["username", "password", "snils", "phone", "email", "totpSecret"], ignoreOrder: true);
        Names(root.GetProperty("otherPatient")).ShouldBe(["username", "password", "snils", "phone", "email"], ignoreOrder: true);
        Names(root.GetProperty("doctor")).ShouldBe(["username", "password", "phone", "email", "totpSecret"], ignoreOrder: true);
        Names(root.GetProperty("admin")).ShouldBe(["username", "password", "phone", "email", "totpSecret"], ignoreOrder: true);
        foreach (var name in new[] { "patient", "otherPatient", "doctor", "admin" })
            root.GetProperty(name).GetProperty("phone").GetString()!.ShouldMatch(@"^\+79\d{9}$");
        root.GetProperty("patient").GetProperty("totpSecret").GetString()!.ShouldMatch("^[A-Z2-7]{32}$");
        Names(root.GetProperty("medicalOrganization")).ShouldBe(["clientId", "clientSecret"], ignoreOrder: true);
        Names(root.GetProperty("publicClient")).ShouldBe(["clientId", "redirectUri"], ignoreOrder: true);

        root.GetProperty("gateway").GetString().ShouldBe(IdentityServiceFixture.Issuer);
        root.GetProperty("publicClient").GetProperty("clientId").GetString().ShouldBe("gosuslugi-web");
        root.GetProperty("publicClient").GetProperty("redirectUri").GetString().ShouldBe(IdentityServiceFixture.Issuer + "/callback");
        foreach (var name in new[] { "patient", "otherPatient" })
        {
            var snils = root.GetProperty(name).GetProperty("snils").GetString()!;
            snils.Length.ShouldBe(11);
            Snils.IsValid(snils).ShouldBeTrue(snils);
        }
        root.GetProperty("patient").GetProperty("snils").GetString().ShouldNotBe(root.GetProperty("otherPatient").GetProperty("snils").GetString());
        foreach (var name in new[] { "patient", "otherPatient", "doctor", "admin" })
            root.GetProperty(name).GetProperty("password").GetString()!.Length.ShouldBeGreaterThanOrEqualTo(16);
        root.GetProperty("medicalOrganization").GetProperty("clientSecret").GetString()!.Length.ShouldBeGreaterThanOrEqualTo(32);

        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(Fixture.DemoFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task Each_demo_person_has_their_role()
    {
        var roles = await Fixture.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<HealthUser>>();
            async Task<string> RoleOf(string name) => string.Join(',', await users.GetRolesAsync((await users.FindByNameAsync(name))!));
            return (patient: await RoleOf(Demo.Patient.Username), other: await RoleOf(Demo.OtherPatient.Username),
                doctor: await RoleOf(Demo.Doctor.Username), admin: await RoleOf(Demo.Admin.Username));
        });
        roles.ShouldBe(("patient", "patient", "doctor", "admin"));

        var admin = await NewBrowser().SignInAndRedeemAsync(Demo.Admin.Username, Demo.Admin.Password, "openid");
        admin.Access.GetClaim("role").Value.ShouldBe("admin");
    }

    [Fact]
    public async Task Every_patient_is_announced_with_PatientRegistered_through_the_outbox()
    {
        var events = await Fixture.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType == typeof(PatientRegistered).FullName).ToListAsync());
        var payloads = events.Select(m => JsonSerializer.Deserialize<PatientRegistered>(m.Payload, JsonSerializerOptions.Web)!).ToList();

        foreach (var patient in new[] { Demo.Patient, Demo.OtherPatient })
        {
            var e = payloads.Where(p => p.PatientId == patient.UserId).ShouldHaveSingleItem();
            e.Snils.ShouldBe(patient.Snils);
            e.FamilyName.ShouldBe(patient.FamilyName);
            e.GivenName.ShouldBe(patient.GivenName);
            e.BirthDate.ShouldBe(patient.BirthDate);
        }

        // No event for people who are not patients.
        payloads.ShouldNotContain(p => p.PatientId == Demo.Doctor.UserId || p.PatientId == Demo.Admin.UserId);
    }

    [Fact]
    public async Task The_relay_publishes_PatientRegistered_to_the_broker()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var unpublished = await Fixture.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking()
                .CountAsync(m => m.MessageType == typeof(PatientRegistered).FullName && m.PublishedAt == null));
            if (unpublished == 0) break;
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"{unpublished} PatientRegistered events are still unpublished");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task The_seeder_gives_every_caller_new_accounts_that_can_sign_in()
    {
        var first = await Fixture.CreateAccountsAsync();
        var second = await Fixture.CreateAccountsAsync();

        second.Patient.Username.ShouldNotBe(first.Patient.Username);
        second.Patient.Snils.ShouldNotBe(first.Patient.Snils);
        second.Patient.UserId.ShouldNotBe(first.Patient.UserId);
        second.MedicalOrganization.ClientId.ShouldNotBe(first.MedicalOrganization.ClientId);
        second.MedicalOrganization.OrganizationId.ShouldNotBe(first.MedicalOrganization.OrganizationId);
        second.PublicClient.ShouldBe(first.PublicClient);

        var tokens = await NewBrowser().SignInAndRedeemAsync(second.Patient.Username, second.Patient.Password);
        tokens.Access.Subject.ShouldBe(second.Patient.UserId.ToString());
        tokens.Access.GetClaim("snils").Value.ShouldBe(second.Patient.Snils);

        var outboxed = await Fixture.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType == typeof(PatientRegistered).FullName).Select(m => m.Payload).ToListAsync());
        outboxed.Select(p => JsonSerializer.Deserialize<PatientRegistered>(p, JsonSerializerOptions.Web)!)
            .Where(e => e.PatientId == second.Patient.UserId && e.Snils == second.Patient.Snils)
            .ShouldHaveSingleItem();
    }

    private static string[] Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();
}
