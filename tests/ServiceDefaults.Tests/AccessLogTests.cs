using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Gosuslugi.Health.ServiceDefaults.Tests;

public sealed class AccessLogTests
{
    private static readonly Guid Patient = Guid.CreateVersion7();

    [Fact]
    public void A_patients_own_read_names_the_patient_as_actor_and_the_endpoints_purpose()
    {
        var http = Request(("sub", Patient.ToString()), ("role", "patient"));

        var access = AccessLog.Describe(http, Patient, "history", AccessActions.Read, "просмотр истории");

        access.PatientId.ShouldBe(Patient);
        access.ActorId.ShouldBe(Patient);
        access.ActorRole.ShouldBe(AccessActorRoles.Patient);
        access.DelegationId.ShouldBeNull();
        access.Service.ShouldBe("records");
        access.Section.ShouldBe("history");
        access.Purpose.ShouldBe("просмотр истории");
        access.Outcome.ShouldBe(AccessOutcomes.Allowed);
        access.IpAddress.ShouldBe("203.0.113.7");
        access.UserAgent.ShouldBe("Browser/1.0");
    }

    [Fact]
    public void A_representative_is_named_as_the_actor_with_the_delegation()
    {
        var actor = Guid.CreateVersion7();
        var delegation = Guid.CreateVersion7();
        var http = Request(("sub", Patient.ToString()), ("role", "patient"), ("act", $$"""{"sub":"{{actor}}"}"""),
            ("del", delegation.ToString()));

        var access = AccessLog.Describe(http, Patient, "lab_results", AccessActions.Read, "просмотр");

        access.ActorId.ShouldBe(actor);
        access.ActorRole.ShouldBe(AccessActorRoles.Representative);
        access.DelegationId.ShouldBe(delegation);
    }

    [Fact]
    public void A_doctor_is_named_with_the_organization_and_a_declared_purpose_wins_but_is_bounded()
    {
        var doctor = Guid.CreateVersion7();
        var organization = Guid.CreateVersion7();
        var http = Request(("sub", doctor.ToString()), ("role", "doctor"), ("org_id", organization.ToString()),
            ("org_name", "ГБУЗ «Поликлиника № 3»"), ("name", "Петров Пётр Петрович"));
        http.Request.Headers[AccessLog.PurposeHeader] = "  консультация перед операцией " + new string('x', 500);

        var access = AccessLog.Describe(http, Patient, "visits", AccessActions.Read, "оказание медицинской помощи",
            outcome: AccessOutcomes.Refused);

        access.ActorId.ShouldBe(doctor);
        access.ActorRole.ShouldBe(AccessActorRoles.Doctor);
        access.ActorName.ShouldBe("Петров Пётр Петрович");
        access.OrganizationId.ShouldBe(organization);
        access.OrganizationName.ShouldBe("ГБУЗ «Поликлиника № 3»");
        access.Purpose.ShouldStartWith("консультация перед операцией");
        access.Purpose.Length.ShouldBe(200);
        access.Outcome.ShouldBe(AccessOutcomes.Refused);
    }

    private static DefaultHttpContext Request(params (string Type, string Value)[] claims)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { ApplicationName = "Gosuslugi.Health.Records" })
            .BuildServiceProvider();
        var http = new DefaultHttpContext
        {
            RequestServices = services,
            User = new ClaimsPrincipal(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test", "sub", "role")),
        };
        http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.7");
        http.Request.Headers.UserAgent = "Browser/1.0";
        return http;
    }
}
