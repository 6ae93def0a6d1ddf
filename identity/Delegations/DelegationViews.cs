using Gosuslugi.Health.Identity.Domain;

namespace Gosuslugi.Health.Identity.Delegations;

public sealed record PersonView(Guid Id, string Name, DateOnly? BirthDate);

/// <param name="Kind">birth_certificate or power_of_attorney.</param>
public sealed record DocumentView(string Kind, string Reference, DateOnly? IssuedOn);

/// <summary>One delegation as its principal and its actor see it.</summary>
/// <param name="Kind">guardian or representative.</param>
/// <param name="Scope">all, limited or manage.</param>
/// <param name="TokenScopes">What a token acting under it may carry.</param>
/// <param name="Status">active, pending (not started yet), expired or revoked.</param>
public sealed record DelegationView(
    Guid Id,
    string Kind,
    string Scope,
    IReadOnlyList<string> TokenScopes,
    PersonView Principal,
    PersonView Actor,
    DocumentView Document,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidTo,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt,
    string Status)
{
    public static DelegationView From(Delegation d, HealthUser principal, HealthUser actor, DateTimeOffset now) => new(
        d.Id,
        DelegationScopes.KindName(d.Kind),
        DelegationScopes.Name(d.Scope),
        DelegationScopes.TokenScopes(d.Scope),
        Person(principal),
        Person(actor),
        new DocumentView(d.Kind == DelegationKind.Guardian ? "birth_certificate" : "power_of_attorney", d.DocumentReference, d.DocumentIssuedOn),
        d.ValidFrom,
        d.ValidTo,
        d.CreatedAt,
        d.RevokedAt,
        StatusOf(d, now));

    public static string StatusOf(Delegation d, DateTimeOffset now) =>
        d.RevokedAt is not null ? "revoked"
        : now >= d.ValidTo ? "expired"
        : now < d.ValidFrom ? "pending"
        : "active";

    private static PersonView Person(HealthUser user) => new(user.Id, user.FullName, user.BirthDate);
}

/// <param name="Given">Who may act for me.</param>
/// <param name="Received">Whom I may act for.</param>
public sealed record DelegationsResponse(IReadOnlyList<DelegationView> Given, IReadOnlyList<DelegationView> Received);

public sealed record ChildLinkedResponse(PersonView Child, bool AccountCreated, DelegationView Delegation);
