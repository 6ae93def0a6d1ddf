using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.ServiceDefaults.Encryption;

namespace Gosuslugi.Health.Identity.Accounts;

/// <summary>
/// A person's passport and OMS policy are stored sealed with their own data key (<see cref="PatientDataKeys{TDb}"/>,
/// keyed by the user's id, as the services key medical content by the patient's id). This opens them after a query and
/// seals them before a save; a value that does not open is <see cref="PatientDataUnreadableException"/> (503), never
/// shown as missing.
/// </summary>
public sealed class PersonDocuments(PatientDataKeys<IdentityDb> keys, DocumentBlindIndex index)
{
    public async Task<OpenedDocuments> OpenAsync(HealthUser user, CancellationToken ct)
    {
        // Doctors, operators and most new patients have no documents: no key to look up.
        if (user.Passport is null && user.OmsPolicy is null) return OpenedDocuments.None;
        var cipher = await keys.ForReadingAsync(user.Id, ct);
        return new OpenedDocuments(
            user.Passport is { } passport ? PassportDetails.Open(cipher, passport) : null,
            user.OmsPolicy is { } policy ? OmsPolicyDetails.Open(cipher, policy) : null);
    }

    public async Task SealAsync(HealthUser user, PassportDetails passport, CancellationToken ct)
    {
        var cipher = await keys.ForWritingAsync(user.Id, ct);
        user.Passport = passport.SealWith(cipher);
    }

    /// <summary>Seals the policy and stores its number's blind index, on which the unique index is.</summary>
    public async Task SealAsync(HealthUser user, OmsPolicyDetails policy, CancellationToken ct)
    {
        var cipher = await keys.ForWritingAsync(user.Id, ct);
        user.OmsPolicyNumberIndex = await index.OmsPolicyNumberAsync(policy.Number, ct);
        user.OmsPolicy = policy.SealWith(cipher);
    }

    /// <summary>What <see cref="HealthUser.OmsPolicyNumberIndex"/> holds for this normalised number: for lookups.</summary>
    public ValueTask<byte[]> OmsPolicyNumberIndexAsync(string normalizedNumber, CancellationToken ct) =>
        index.OmsPolicyNumberAsync(normalizedNumber, ct);
}
