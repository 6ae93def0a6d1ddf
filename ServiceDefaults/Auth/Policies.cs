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

    public static class Roles
    {
        public const string Patient = "patient";
        public const string Doctor = "doctor";
        public const string Admin = "admin";
        public const string MedicalOrganization = "medical_organization";
    }

    public static class Scopes
    {
        public const string Health = "health";
        public const string HealthPublish = "health.publish";
    }
}
