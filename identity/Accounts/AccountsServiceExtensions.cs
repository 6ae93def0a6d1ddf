using Gosuslugi.Health.Identity.Security;

namespace Gosuslugi.Health.Identity.Accounts;

public static class AccountsServiceExtensions
{
    /// <summary>Registration, profile and documents, account levels, consent, contacts, password change and recovery.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddScoped<AccountClaims>();
        services.AddScoped<AccountDirectory>();
        services.AddScoped<AccountNotices>();
        services.AddScoped<AccountPasswords>();
        services.AddScoped<PendingFlows>();
        services.AddScoped<Registrations>();
        services.AddScoped<AccountDocuments>();
        services.AddSingleton<PersonDocuments>();
        services.AddSingleton<DocumentBlindIndex>();
        services.AddScoped<AccountVerification>();
        services.AddScoped<PersonalDataConsents>();
        services.AddScoped<ContactChanges>();
        services.AddScoped<PasswordRecovery>();
        return services;
    }

    /// <summary>Every account endpoint under <c>/api/v1/account</c>, and the operator's two verification endpoints.</summary>
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        app.MapRegistrationApi();
        app.MapRecoveryApi();
        app.MapProfileApi();
        app.MapPersonalDataConsentApi();
        app.MapContactsApi();
        app.MapPasswordApi();
        app.MapAccountVerificationApi();
        return app;
    }
}
