using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gosuslugi.Health.Identity.Signatures;

/// <summary>
/// The person in a certificate's subject, as Russian qualified certificates name them (order No. 795 of the FSB):
/// CN the full name, SN the family name, G the given name and patronymic, C RU, and SNILS (OID 1.2.643.100.3) as
/// 11 digits in a NumericString.
/// </summary>
public sealed record QualifiedSubject(string CommonName, string? FamilyName, string? GivenNames, string? Snils)
{
    public const string SnilsOid = "1.2.643.100.3";
    private const string CommonNameOid = "2.5.4.3";
    private const string SurnameOid = "2.5.4.4";
    private const string GivenNameOid = "2.5.4.42";

    public static X500DistinguishedName Build(string familyName, string givenName, string? middleName, string snils)
    {
        var givenNames = string.IsNullOrWhiteSpace(middleName) ? givenName : $"{givenName} {middleName}";
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCountryOrRegion("RU");
        builder.Add(SurnameOid, familyName, UniversalTagNumber.UTF8String);
        builder.Add(GivenNameOid, givenNames, UniversalTagNumber.UTF8String);
        builder.AddCommonName($"{familyName} {givenNames}");
        builder.Add(SnilsOid, snils, UniversalTagNumber.NumericString);
        return builder.Build();
    }

    /// <summary>The fields of a subject; any of them may be missing from a certificate not made for people.</summary>
    public static QualifiedSubject Read(X500DistinguishedName subject)
    {
        string? commonName = null, family = null, given = null, snils = null;
        foreach (var rdn in subject.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements) continue;
            string? value;
            try { value = rdn.GetSingleElementValue(); }
            catch (CryptographicException) { continue; }
            switch (rdn.GetSingleElementType().Value)
            {
                case CommonNameOid: commonName ??= value; break;
                case SurnameOid: family ??= value; break;
                case GivenNameOid: given ??= value; break;
                case SnilsOid: snils ??= value; break;
            }
        }
        return new QualifiedSubject(commonName ?? subject.Name, family, given, snils);
    }
}
