using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gosuslugi.Health.TestInfrastructure.WebAuthn;

/// <summary>
/// A WebAuthn authenticator and the browser in front of it, in software, for tests: one ES256 (P-256) credential.
/// It answers creation options (<c>navigator.credentials.create()</c>) with a "none" attestation and request
/// options (<c>navigator.credentials.get()</c>) with a signed assertion, as the JSON a browser's
/// <c>PublicKeyCredential.toJSON()</c> produces (WebAuthn Level 3).
/// </summary>
/// <remarks>
/// Like a browser, it takes the origin it runs on as given (tests pass a wrong one on purpose) and refuses
/// options that exclude its credential or do not allow it.
/// </remarks>
public sealed class SoftwareAuthenticator : IDisposable
{
    private const int CoseAlgorithmEs256 = -7;

    [Flags]
    private enum AuthenticatorFlags : byte
    {
        UserPresent = 0x01,
        UserVerified = 0x04,
        BackupEligible = 0x08,
        BackedUp = 0x10,
        AttestedCredentialData = 0x40,
    }

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <param name="backupEligible">A synced passkey (BE and BS set), as phones and password managers make; false for a security key.</param>
    /// <param name="signCounter">Whether the signature counter moves (security keys); synced passkeys usually keep it at 0.</param>
    public SoftwareAuthenticator(bool backupEligible = true, bool signCounter = true)
    {
        BackupEligible = backupEligible;
        UsesSignCounter = signCounter;
        CredentialId = RandomNumberGenerator.GetBytes(16);
    }

    public byte[] CredentialId { get; }
    public string CredentialIdBase64Url => Base64Url.EncodeToString(CredentialId);
    public bool BackupEligible { get; }
    public bool UsesSignCounter { get; }

    /// <summary>Whether the authenticator verifies the person (PIN, biometrics): the UV flag.</summary>
    public bool VerifiesUser { get; set; } = true;

    /// <summary>The counter the next assertion carries; a test may wind it back to play a cloned authenticator.</summary>
    public uint SignCount { get; set; }

    /// <summary>The user handle the relying party gave at creation (its <c>user.id</c>), returned with every assertion.</summary>
    public byte[]? UserHandle { get; private set; }

    /// <summary>Answers PublicKeyCredentialCreationOptionsJSON with a registration PublicKeyCredential JSON.</summary>
    public string CreateAttestation(string creationOptionsJson, string origin)
    {
        var options = JsonNode.Parse(creationOptionsJson)!.AsObject();
        var challenge = options["challenge"]!.GetValue<string>();
        var rpId = options["rp"]?["id"]?.GetValue<string>() ?? new Uri(origin).Host;
        var algorithms = options["pubKeyCredParams"]!.AsArray().Select(p => p!["alg"]!.GetValue<int>());
        if (!algorithms.Contains(CoseAlgorithmEs256)) throw new InvalidOperationException("NotSupportedError: ES256 is not among pubKeyCredParams.");
        if (Descriptors(options["excludeCredentials"]).Contains(CredentialIdBase64Url))
            throw new InvalidOperationException("InvalidStateError: the authenticator already holds a credential for this account.");
        UserHandle = Base64Url.DecodeFromChars(options["user"]!["id"]!.GetValue<string>());

        var clientDataJson = ClientData("webauthn.create", challenge, origin);
        var authenticatorData = AuthenticatorData(rpId, AuthenticatorFlags.AttestedCredentialData, AttestedCredentialData());
        var attestationObject = new CborWriter(CborConformanceMode.Ctap2Canonical);
        attestationObject.WriteStartMap(3);
        attestationObject.WriteTextString("fmt");
        attestationObject.WriteTextString("none");
        attestationObject.WriteTextString("attStmt");
        attestationObject.WriteStartMap(0);
        attestationObject.WriteEndMap();
        attestationObject.WriteTextString("authData");
        attestationObject.WriteByteString(authenticatorData);
        attestationObject.WriteEndMap();

        return Credential(new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientDataJson),
            ["attestationObject"] = Base64Url.EncodeToString(attestationObject.Encode()),
            ["transports"] = new JsonArray("internal", "hybrid"),
        });
    }

    /// <summary>Answers PublicKeyCredentialRequestOptionsJSON with an authentication PublicKeyCredential JSON.</summary>
    public string CreateAssertion(string requestOptionsJson, string origin)
    {
        var options = JsonNode.Parse(requestOptionsJson)!.AsObject();
        var challenge = options["challenge"]!.GetValue<string>();
        var rpId = options["rpId"]?.GetValue<string>() ?? new Uri(origin).Host;
        var allowed = Descriptors(options["allowCredentials"]);
        if (allowed.Count > 0 && !allowed.Contains(CredentialIdBase64Url))
            throw new InvalidOperationException("NotAllowedError: none of allowCredentials is held by this authenticator.");

        if (UsesSignCounter) SignCount++;
        var clientDataJson = ClientData("webauthn.get", challenge, origin);
        var authenticatorData = AuthenticatorData(rpId, 0, attestedCredentialData: []);
        byte[] signedData = [.. authenticatorData, .. SHA256.HashData(clientDataJson)];
        var signature = _key.SignData(signedData, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        var response = new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientDataJson),
            ["authenticatorData"] = Base64Url.EncodeToString(authenticatorData),
            ["signature"] = Base64Url.EncodeToString(signature),
        };
        if (UserHandle is not null) response["userHandle"] = Base64Url.EncodeToString(UserHandle);
        return Credential(response);
    }

    /// <summary>The same credential JSON with one bit of <c>response.signature</c> flipped.</summary>
    public static string TamperSignature(string assertionJson)
    {
        var credential = JsonNode.Parse(assertionJson)!.AsObject();
        var response = credential["response"]!.AsObject();
        var signature = Base64Url.DecodeFromChars(response["signature"]!.GetValue<string>());
        signature[^1] ^= 0x01;
        response["signature"] = Base64Url.EncodeToString(signature);
        return credential.ToJsonString();
    }

    private string Credential(JsonObject response) => new JsonObject
    {
        ["id"] = CredentialIdBase64Url,
        ["rawId"] = CredentialIdBase64Url,
        ["type"] = "public-key",
        ["response"] = response,
        ["authenticatorAttachment"] = "platform",
        ["clientExtensionResults"] = new JsonObject(),
    }.ToJsonString();

    private static byte[] ClientData(string type, string challenge, string origin) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["type"] = type,
            ["challenge"] = challenge,
            ["origin"] = origin,
            ["crossOrigin"] = false,
        });

    /// <summary>rpIdHash (32) | flags (1) | signCount (4, big-endian) | attested credential data (creation only).</summary>
    private byte[] AuthenticatorData(string rpId, AuthenticatorFlags extraFlags, byte[] attestedCredentialData)
    {
        var flags = AuthenticatorFlags.UserPresent | extraFlags;
        if (VerifiesUser) flags |= AuthenticatorFlags.UserVerified;
        if (BackupEligible) flags |= AuthenticatorFlags.BackupEligible | AuthenticatorFlags.BackedUp;

        var counter = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(counter, SignCount);
        return [.. SHA256.HashData(Encoding.UTF8.GetBytes(rpId)), (byte)flags, .. counter, .. attestedCredentialData];
    }

    /// <summary>AAGUID (16 zero bytes, as with "none" attestation) | credential id length (2) | credential id | COSE key.</summary>
    private byte[] AttestedCredentialData()
    {
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)CredentialId.Length);
        return [.. new byte[16], .. length, .. CredentialId, .. CosePublicKey()];
    }

    /// <summary>RFC 9053 EC2 key: kty 2, alg -7 (ES256), crv 1 (P-256), x, y; CTAP2 canonical order.</summary>
    private byte[] CosePublicKey()
    {
        var point = _key.ExportParameters(includePrivateParameters: false).Q;
        var cose = new CborWriter(CborConformanceMode.Ctap2Canonical);
        cose.WriteStartMap(5);
        cose.WriteInt32(1);
        cose.WriteInt32(2);
        cose.WriteInt32(3);
        cose.WriteInt32(CoseAlgorithmEs256);
        cose.WriteInt32(-1);
        cose.WriteInt32(1);
        cose.WriteInt32(-2);
        cose.WriteByteString(point.X!);
        cose.WriteInt32(-3);
        cose.WriteByteString(point.Y!);
        cose.WriteEndMap();
        return cose.Encode();
    }

    private static List<string> Descriptors(JsonNode? descriptors) =>
        descriptors is JsonArray array ? array.Select(d => d!["id"]!.GetValue<string>()).ToList() : [];

    public void Dispose() => _key.Dispose();
}
