namespace Gosuslugi.Health.Identity.Domain;

/// <summary>
/// How much the portal knows about who a person is. Medical data is shown only to a
/// <see cref="Confirmed"/> account.
/// </summary>
public enum AccountLevel
{
    /// <summary>Name, phone and e-mail, each confirmed by a code.</summary>
    Simplified,

    /// <summary>Also SNILS, passport and OMS policy, entered and checked for form.</summary>
    Standard,

    /// <summary>Identity verified by an operator or by a code handed over in person.</summary>
    Confirmed,
}
