namespace Gosuslugi.Health.Identity.Tests;

/// <summary>
/// A doctor's access token names the doctor and their organization: services put both into the access events the
/// patient reads in their access log ("who opened my record").
/// </summary>
public sealed class DoctorTokenTests(IdentityServiceFixture fixture) : IdentityTest(fixture)
{
    [Fact]
    public async Task A_doctor_token_carries_their_name_and_organization_name_and_a_patient_token_no_name()
    {
        var accounts = await Fixture.CreateAccountsAsync();

        var doctor = (await NewBrowser().SignInAndRedeemAsync(accounts.Doctor.Username, accounts.Doctor.Password, "openid health")).Access;
        doctor.GetClaim("name").Value.ShouldBe("Смирнова Елена Викторовна");
        doctor.GetClaim("org_id").Value.ShouldBe(accounts.Doctor.OrganizationId.ToString());
        doctor.GetClaim("org_name").Value.ShouldBe(accounts.MedicalOrganization.OrganizationName);

        var patient = (await NewBrowser().SignInAndRedeemAsync(accounts.Patient.Username, accounts.Patient.Password, "openid health")).Access;
        patient.TryGetClaim("name", out _).ShouldBeFalse();
        patient.TryGetClaim("org_id", out _).ShouldBeFalse();
    }
}
