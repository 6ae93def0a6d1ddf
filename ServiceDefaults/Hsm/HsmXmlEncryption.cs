using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.ServiceDefaults.Hsm;

/// <summary>
/// Encrypts Data Protection's keys at rest (the key ring in the database) with an AES-256 key inside the HSM, so a copy
/// of the database alone does not open cookies, antiforgery tokens or secrets protected with them.
/// </summary>
public sealed class HsmXmlEncryptor(Pkcs11Hsm hsm) : IXmlEncryptor
{
    public const string KeyLabel = "data-protection-kek";
    internal static readonly byte[] Purpose = "Gosuslugi.Health.DataProtection.KeyRing"u8.ToArray();

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        hsm.EnsureAesKey(KeyLabel);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var wrapped = hsm.WrapWith(KeyLabel, plaintext, Purpose);
        var element = new XElement("encryptedKey",
            new XComment(" Encrypted with AES-256-GCM by a key in the HSM. "),
            new XElement("kek", KeyLabel),
            new XElement("value", Convert.ToBase64String(wrapped)));
        return new EncryptedXmlInfo(element, typeof(HsmXmlDecryptor));
    }

    private static readonly XNamespace DataProtectionNamespace = "http://schemas.asp.net/2015/03/dataProtection";
    private static readonly XName RequiresEncryption = DataProtectionNamespace + "requiresEncryption";

    /// <summary>
    /// Encrypts, in a key written before the HSM, every secret Data Protection marked as needing encryption, in the
    /// form Data Protection itself writes (an <c>encryptedSecret</c> naming its decryptor). False when none was left.
    /// </summary>
    public bool EncryptUnprotectedSecrets(XElement key)
    {
        var plain = key.Descendants().Where(e => (bool?)e.Attribute(RequiresEncryption) == true).ToList();
        foreach (var secret in plain)
        {
            var encrypted = Encrypt(secret);
            secret.ReplaceWith(new XElement(DataProtectionNamespace + "encryptedSecret",
                new XAttribute("decryptorType", encrypted.DecryptorType.AssemblyQualifiedName!), encrypted.EncryptedElement));
        }
        return plain.Count > 0;
    }
}

/// <summary>The inverse of <see cref="HsmXmlEncryptor"/>; Data Protection creates it by type, with the services.</summary>
public sealed class HsmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var hsm = services.GetRequiredService<Pkcs11Hsm>();
        var label = (string?)encryptedElement.Element("kek") ?? HsmXmlEncryptor.KeyLabel;
        var wrapped = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? "");
        return XElement.Parse(Encoding.UTF8.GetString(hsm.UnwrapWith(label, wrapped, HsmXmlEncryptor.Purpose)));
    }
}
