using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.TestInfrastructure;
using static Gosuslugi.Health.SickLeave.Tests.SickLeaveApp;

namespace Gosuslugi.Health.SickLeave.Tests;

/// <summary>
/// Every route that takes an id refuses, with no data, another patient, another organization, an admin and a doctor
/// whose organization does not have the patient in its care; a representative reads within the delegated scope only;
/// a doctor reads while the patient is in the organization's care, unless the patient closed sick leave to it.
/// </summary>
[Collection(SickLeaveCollection.Name)]
public sealed class AccessMatrixTests(SickLeaveApp app)
{
    private sealed record Setup(Guid PatientId, Guid OrganizationId, Guid CertificateId, string Number, Guid RequestId);

    private async Task<Setup> SetupAsync()
    {
        var organizationId = Guid.CreateVersion7();
        var (patientId, _, certificateId, number) = await app.PatientWithCertificateAsync(organizationId);
        using var patient = app.PatientClient(patientId);
        var request = await MissingCertificateRequestTests.SubmitAsync(patient, MissingCertificateRequestTests.RequestBody(organizationId));
        return new Setup(patientId, organizationId, certificateId, number, request["id"]!.GetValue<Guid>());
    }

    /// <summary>Every id-taking route: (method, url, body).</summary>
    private static IEnumerable<(HttpMethod Method, string Url, object? Body)> IdRoutes(Setup s) =>
    [
        (HttpMethod.Get, $"{CertificatesRoute}/{s.CertificateId}", null),
        (HttpMethod.Get, $"{CertificatesRoute}/{s.CertificateId}/pdf", null),
        (HttpMethod.Get, $"{RequestsRoute}/{s.RequestId}", null),
        (HttpMethod.Get, $"{PublishRoute}/{s.CertificateId}", null),
        (HttpMethod.Post, $"{OrganizationRequestsRoute}/{s.RequestId}/answer", new { refusalReason = "Нет оснований" }),
        (HttpMethod.Get, $"{Route}/patients/{s.PatientId}/certificates", null),
        (HttpMethod.Get, $"{Route}/patients/{s.PatientId}/certificates/{s.CertificateId}", null),
    ];

    private static async Task ShouldBeRefusedWithoutDataAsync(HttpClient client, Setup s, string who)
    {
        foreach (var (method, url, body) in IdRoutes(s))
        {
            using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBeOneOf([HttpStatusCode.Forbidden, HttpStatusCode.NotFound], $"{who}: {method} {url}: {text}");
            text.ShouldNotContain(s.Number, customMessage: $"{who}: {method} {url}");
            text.ShouldNotContain("Смирнова", customMessage: $"{who}: {method} {url}");
        }
    }

    [Fact]
    public async Task Another_patient_another_organization_an_admin_and_a_doctor_outside_care_are_refused_everywhere()
    {
        var s = await SetupAsync();
        using var otherPatient = app.PatientClient(Guid.CreateVersion7());
        using var otherOrganization = app.OrganizationClient(Guid.CreateVersion7());
        using var admin = app.AdminClient();
        using var doctorOutsideCare = app.DoctorClient(Guid.CreateVersion7());
        // A doctor of the issuing organization is not enough: the patient must be in its care.
        using var doctorOfIssuer = app.DoctorClient(s.OrganizationId);

        await ShouldBeRefusedWithoutDataAsync(otherPatient, s, "another patient");
        await ShouldBeRefusedWithoutDataAsync(otherOrganization, s, "another organization");
        await ShouldBeRefusedWithoutDataAsync(admin, s, "an admin");
        await ShouldBeRefusedWithoutDataAsync(doctorOutsideCare, s, "a doctor outside care");
        await ShouldBeRefusedWithoutDataAsync(doctorOfIssuer, s, "a doctor of the issuer without care");

        // The request was not answered by anyone.
        using var patient = app.PatientClient(s.PatientId);
        JsonNode.Parse(await patient.GetStringAsync($"{RequestsRoute}/{s.RequestId}"))!["status"]!.GetValue<string>().ShouldBe("submitted");
        // Doctors' refusals are in the patient's access log.
        (await app.AccessEventsAsync(s.PatientId)).Count(e => e.ActorRole == "doctor" && e.Outcome == "refused").ShouldBe(4);
    }

    [Fact]
    public async Task A_doctor_reads_while_the_patient_is_in_the_organizations_care_unless_the_patient_closed_sick_leave_to_it()
    {
        var s = await SetupAsync();
        var careOrganization = Guid.CreateVersion7();
        await app.AttachAsync(s.PatientId, careOrganization);
        using var doctor = app.DoctorClient(careOrganization);

        var list = JsonNode.Parse(await doctor.GetStringAsync($"{Route}/patients/{s.PatientId}/certificates"))!;
        list["items"]!.AsArray().ShouldHaveSingleItem()!["number"]!.GetValue<string>().ShouldBe(s.Number);
        var card = JsonNode.Parse(await doctor.GetStringAsync($"{Route}/patients/{s.PatientId}/certificates/{s.CertificateId}"))!;
        card["doctor"]!["name"]!.GetValue<string>().ShouldBe("Смирнова Елена Викторовна");
        var reads = (await app.AccessEventsAsync(s.PatientId)).Where(e => e.ActorRole == "doctor").ToList();
        reads.Select(e => (e.Action, e.Outcome, e.OrganizationId)).ShouldBe([("read", "allowed", careOrganization), ("read", "allowed", careOrganization)]);

        await app.PublishAndWaitAsync(new AccessRestrictionChanged(Guid.CreateVersion7(), s.PatientId, "organization", careOrganization,
            RecordSections.SickLeave, true, DateTimeOffset.UtcNow), "access-restrictions");
        using var refused = await doctor.GetAsync($"{Route}/patients/{s.PatientId}/certificates/{s.CertificateId}");
        refused.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await refused.Content.ReadAsStringAsync()).ShouldNotContain(s.Number);
    }

    [Fact]
    public async Task A_representative_reads_within_a_full_delegation_and_is_refused_by_a_limited_one()
    {
        var s = await SetupAsync();
        using var full = app.RepresentativeClient(s.PatientId);
        using var limited = app.RepresentativeClient(s.PatientId, TestTokenIssuer.DelegatedLimitedScope);

        (await full.GetAsync($"{CertificatesRoute}/{s.CertificateId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await full.GetAsync($"{CertificatesRoute}/{s.CertificateId}/pdf")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await full.GetAsync($"{RequestsRoute}/{s.RequestId}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        foreach (var url in new[] { CertificatesRoute, $"{CertificatesRoute}/{s.CertificateId}", $"{CertificatesRoute}/{s.CertificateId}/pdf",
                     RequestsRoute, $"{RequestsRoute}/{s.RequestId}" })
        {
            using var response = await limited.GetAsync(url);
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, url);
            JsonNode.Parse(text)!["reason"]!.GetValue<string>().ShouldBe("section_not_delegated");
            text.ShouldNotContain(s.Number);
        }
        var events = await app.AccessEventsAsync(s.PatientId);
        events.Count(e => e.ActorRole == "representative" && e.Outcome == "allowed").ShouldBe(3);
        events.Count(e => e.ActorRole == "representative" && e.Outcome == "refused").ShouldBe(5);
        events.Where(e => e.ActorRole == "representative").ShouldAllBe(e => e.DelegationId != null);
    }

    [Fact]
    public async Task A_patients_lists_hold_only_their_own()
    {
        var s = await SetupAsync();
        var other = await SetupAsync();
        using var patient = app.PatientClient(s.PatientId);

        var certificates = JsonNode.Parse(await patient.GetStringAsync(CertificatesRoute))!["items"]!.AsArray();
        certificates.Select(c => c!["id"]!.GetValue<Guid>()).ShouldBe([s.CertificateId]);
        var requests = JsonNode.Parse(await patient.GetStringAsync(RequestsRoute))!["items"]!.AsArray();
        requests.Select(r => r!["id"]!.GetValue<Guid>()).ShouldBe([s.RequestId]);
        using var organization = app.OrganizationClient(s.OrganizationId);
        var queue = JsonNode.Parse(await organization.GetStringAsync(OrganizationRequestsRoute))!["items"]!.AsArray();
        queue.Select(r => r!["request"]!["id"]!.GetValue<Guid>()).ShouldBe([s.RequestId]);
        other.RequestId.ShouldNotBe(s.RequestId);
    }
}
