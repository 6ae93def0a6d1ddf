using System.Text.Json;
using Gosuslugi.Health.TestInfrastructure.Oidc;

namespace Gosuslugi.Health.Bench;

/// <summary>The demo organization's and the demo patient's access tokens, renewed before they expire (they live ten minutes).</summary>
internal sealed class BenchTokens(Uri gateway, JsonElement demo) : IDisposable
{
    private static readonly TimeSpan Renew = TimeSpan.FromMinutes(5);
    private readonly OidcClient _oidc = new(gateway);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private (string Token, DateTime At)? _organization;
    private (string Token, string? Refresh, DateTime At)? _patient;

    public async Task<string> OrganizationAsync()
    {
        if (_organization is { } current && DateTime.UtcNow - current.At < Renew) return current.Token;
        await _lock.WaitAsync();
        try
        {
            if (_organization is { } again && DateTime.UtcNow - again.At < Renew) return again.Token;
            var organization = demo.GetProperty("medicalOrganization");
            var token = await _oidc.ClientCredentialsAsync(organization.GetProperty("clientId").GetString()!, organization.GetProperty("clientSecret").GetString()!);
            _organization = (token.AccessToken, DateTime.UtcNow);
            return token.AccessToken;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<string> PatientAsync()
    {
        await _lock.WaitAsync();
        try
        {
            var publicClient = demo.GetProperty("publicClient");
            var clientId = publicClient.GetProperty("clientId").GetString()!;
            TokenResponse token;
            if (_patient is { Refresh: { } refresh })
            {
                token = await _oidc.RefreshAsync(clientId, refresh);
            }
            else
            {
                var patient = demo.GetProperty("patient");
                token = await _oidc.SignInWithCodeAsync(clientId, publicClient.GetProperty("redirectUri").GetString()!,
                    patient.GetProperty("username").GetString()!, patient.GetProperty("password").GetString()!,
                    SecondFactor.AuthenticatorApp(patient.GetProperty("totpSecret").GetString()!));
            }
            _patient = (token.AccessToken, token.RefreshToken, DateTime.UtcNow);
            return token.AccessToken;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        _oidc.Dispose();
        _lock.Dispose();
    }
}
