namespace Gosuslugi.Health.ServiceDefaults.Auth;

/// <summary>Authorization policy names shared by the gateway and every service: <c>.RequireAuthorization(Policies.Patient)</c>.</summary>
public static class Policies
{
    /// <summary>role patient AND scope health.</summary>
    public const string Patient = "patient";
    /// <summary>role medical_organization AND scope health.publish AND an org_id claim.</summary>
    public const string MedicalOrganization = "medical_organization";
    /// <summary>role doctor.</summary>
    public const string Doctor = "doctor";
    /// <summary>role admin.</summary>
    public const string Admin = "admin";
    /// <summary>role pharmacy AND scope health.pharmacy AND an org_id claim (the pharmacy's id).</summary>
    public const string Pharmacy = "pharmacy";

    /// <summary>
    /// May read a patient's medical record (the token's <c>sub</c>): either their own token (role patient, scope health,
    /// acc_level confirmed, pd_consent true) or a representative's (an <c>act</c> with a sub, a <c>del</c>, a delegated
    /// reading scope, acc_level confirmed). Refused for the account level or consent alone, the answer is a 403
    /// problem whose Russian detail says what to do. Endpoints still check the section with
    /// <c>user.CanReadSection(...)</c>: a limited delegation opens prescriptions and lab results only.
    /// </summary>
    public const string MedicalData = "medical_data";
}

/// <summary>Claim, role and scope names of the access tokens (JWT names, no inbound mapping).</summary>
public static class HealthClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string Scope = "scope";
    public const string ClientId = "client_id";
    public const string OrganizationId = "org_id";
    public const string OrganizationName = "org_name";
    public const string Snils = "snils";

    /// <summary>The sign-in session (OIDC <c>sid</c>); ending the session deny-lists it.</summary>
    public const string SessionId = "sid";
    public const string TokenId = "jti";
    public const string IssuedAt = "iat";

    /// <summary>RFC 8693 §4.1: the acting party, a JSON object whose <c>sub</c> is the actor.</summary>
    public const string Actor = "act";

    /// <summary>The delegation a token acting for someone else was issued under.</summary>
    public const string DelegationId = "del";

    /// <summary>"simplified", "standard" or "confirmed": medical data needs "confirmed".</summary>
    public const string AccountLevel = "acc_level";

    /// <summary>"true" when the person's consent to personal data processing is in force.</summary>
    public const string PersonalDataConsent = "pd_consent";

    /// <summary>RFC 8176 authentication methods (pwd, otp, sms, mfa, hwk, ...).</summary>
    public const string AuthenticationMethods = "amr";

    public static class AccountLevels
    {
        public const string Simplified = "simplified";
        public const string Standard = "standard";
        public const string Confirmed = "confirmed";
    }

    public static class Roles
    {
        public const string Patient = "patient";
        public const string Doctor = "doctor";
        public const string Admin = "admin";
        public const string MedicalOrganization = "medical_organization";
        public const string Pharmacy = "pharmacy";
    }

    public static class Scopes
    {
        public const string Health = "health";
        public const string HealthPublish = "health.publish";

        /// <summary>A pharmacy's machine client: its queue of prescriptions, reserving and dispensing.</summary>
        public const string HealthPharmacy = "health.pharmacy";

        /// <summary>Acting for someone: their whole record (delegation scope "all" or "manage").</summary>
        public const string DelegatedRecords = "health.delegated.records";

        /// <summary>Acting for someone: their current prescriptions and lab results only (delegation scope "limited").</summary>
        public const string DelegatedLimited = "health.delegated.limited";

        /// <summary>Acting for someone: booking and cancelling their appointments (delegation scope "manage").</summary>
        public const string DelegatedAppointments = "health.delegated.appointments";
    }
}
