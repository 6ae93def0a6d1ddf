using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Gosuslugi.Health.ServiceDefaults.Hsm;

/// <summary>How often a key was used for one operation since the last <see cref="Pkcs11Hsm.DrainUsage"/>.</summary>
public sealed record HsmKeyUse(string Key, string Operation, long Count);

/// <summary>The HSM could not be reached or refused an operation; requests that need it answer 503.</summary>
public sealed class HsmUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The keys of this system in a PKCS#11 token (SoftHSM2 locally, any PKCS#11 HSM in production): RSA signing keys and
/// AES key-encryption keys and HMAC keys are generated inside it as sensitive, non-extractable objects, and every operation with
/// them runs inside it. Every use is counted per key and operation (a metric, and <see cref="DrainUsage"/> for the
/// security log) and never logs key material.
/// </summary>
public sealed class Pkcs11Hsm : IDisposable
{
    public const string MeterName = "Gosuslugi.Health.Hsm";
    public const string Sign = "sign";
    public const string Wrap = "wrap";
    public const string Unwrap = "unwrap";
    public const string Generate = "generate";
    public const string Destroy = "destroy";
    public const string Mac = "hmac";

    private const int GcmNonceBytes = 12;
    private const int GcmTagBits = 128;

    // C_Initialize runs once per library and process; every token (tests start several identities in one process)
    // shares that one initialised library.
    private static readonly Lock LibrariesGate = new();
    private static readonly Dictionary<string, IPkcs11Library> Libraries = new(StringComparer.Ordinal);
    private static readonly Pkcs11InteropFactories Factories = new();

    // Pkcs11Interop calls dlopen from "libdl", which glibc 2.34+ systems only have as libdl.so.2 unless libc6-dev is
    // installed; resolve it there (dlopen itself lives in libc now, libdl.so.2 forwards to it).
    static Pkcs11Hsm() => NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, (name, _, _) =>
        name == "libdl" && NativeLibrary.TryLoad("libdl.so.2", out var handle) ? handle : IntPtr.Zero);

    private readonly HsmOptions _options;
    private readonly ILogger<Pkcs11Hsm> _logger;
    private readonly Lock _slotGate = new();
    private ISlot? _slot;
    private readonly Lock _anchorGate = new();
    private ISession? _anchor;
    private readonly ConcurrentBag<ISession> _pool = [];
    private readonly ConcurrentDictionary<(string Label, CKO Class), IObjectHandle> _handles = new();
    private readonly ConcurrentDictionary<(string Key, string Operation), long> _usage = new();
    private readonly Counter<long> _operations;
    private readonly Lock _creationGate = new();

    public Pkcs11Hsm(IOptions<HsmOptions> options, ILogger<Pkcs11Hsm> logger, IMeterFactory meters)
    {
        _options = options.Value;
        _logger = logger;
        _operations = meters.Create(MeterName).CreateCounter<long>("hsm.key.operations", description: "Operations with keys inside the HSM");
    }

    /// <summary>Generates an RSA key pair inside the HSM; the private key can sign and never leaves it.</summary>
    public HsmRsa GenerateRsaKeyPair(string label, int keySizeInBits) =>
        GenerateSigningKeyPair(label, CKM.CKM_RSA_PKCS_KEY_PAIR_GEN,
            [(CKA.CKA_MODULUS_BITS, (ulong)keySizeInBits), (CKA.CKA_PUBLIC_EXPONENT, new byte[] { 0x01, 0x00, 0x01 })],
            (session, publicKey) => new HsmRsa(this, label, ReadRsaPublicKey(session, publicKey)));

    // DER of the named curve P-256 (OID 1.2.840.10045.3.1.7), as CKA_EC_PARAMS wants it.
    private static readonly byte[] P256Parameters = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];

    /// <summary>Generates an ECDSA P-256 key pair inside the HSM; the private key can sign and never leaves it.</summary>
    public HsmECDsa GenerateEcKeyPair(string label) =>
        GenerateSigningKeyPair(label, CKM.CKM_EC_KEY_PAIR_GEN, [(CKA.CKA_EC_PARAMS, P256Parameters)],
            (session, publicKey) => new HsmECDsa(this, label, ReadEcPublicKey(session, publicKey)));

    /// <summary>A key pair on the token: the public half verifies, the private half is sensitive, not extractable, and signs.</summary>
    private T GenerateSigningKeyPair<T>(string label, CKM mechanism, IReadOnlyList<(CKA Type, object Value)> algorithmAttributes,
        Func<ISession, IObjectHandle, T> wrap)
    {
        var id = RandomNumberGenerator.GetBytes(16);
        var a = Factories.ObjectAttributeFactory;
        List<IObjectAttribute> publicTemplate =
        [
            a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_PRIVATE, false), a.Create(CKA.CKA_LABEL, label), a.Create(CKA.CKA_ID, id),
            a.Create(CKA.CKA_VERIFY, true),
            .. algorithmAttributes.Select(attribute => attribute.Value switch
            {
                ulong number => a.Create(attribute.Type, number),
                byte[] bytes => a.Create(attribute.Type, bytes),
                var other => throw new ArgumentException($"No PKCS#11 attribute of a {other.GetType().Name}."),
            }),
        ];
        List<IObjectAttribute> privateTemplate =
        [
            a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_PRIVATE, true), a.Create(CKA.CKA_LABEL, label), a.Create(CKA.CKA_ID, id),
            a.Create(CKA.CKA_SENSITIVE, true), a.Create(CKA.CKA_EXTRACTABLE, false), a.Create(CKA.CKA_SIGN, true),
        ];
        return Run(label, Generate, session =>
        {
            session.GenerateKeyPair(Factories.MechanismFactory.Create(mechanism), publicTemplate, privateTemplate,
                out var publicKey, out var privateKey);
            _handles[(label, CKO.CKO_PUBLIC_KEY)] = publicKey;
            _handles[(label, CKO.CKO_PRIVATE_KEY)] = privateKey;
            return wrap(session, publicKey);
        });
    }

    /// <summary>The ECDSA key pair with this label, or null when the HSM holds none.</summary>
    public HsmECDsa? FindEcKey(string label) => WithSession(session =>
        FindHandle(session, label, CKO.CKO_PUBLIC_KEY) is { } publicKey ? new HsmECDsa(this, label, ReadEcPublicKey(session, publicKey)) : null);

    /// <summary>Signs a hash with CKM_ECDSA inside the HSM: the signature is r ‖ s, as JWS (ES256) wants it.</summary>
    internal byte[] SignEcdsa(string label, byte[] hash) => Run(label, Sign, session =>
    {
        var handle = FindHandle(session, label, CKO.CKO_PRIVATE_KEY) ?? throw new HsmUnavailableException($"The HSM holds no signing key {label}.");
        return session.Sign(Factories.MechanismFactory.Create(CKM.CKM_ECDSA), handle, hash);
    });

    /// <summary>The RSA key pair with this label, or null when the HSM holds none.</summary>
    public HsmRsa? FindRsaKey(string label) => WithSession(session =>
        FindHandle(session, label, CKO.CKO_PUBLIC_KEY) is { } publicKey ? new HsmRsa(this, label, ReadRsaPublicKey(session, publicKey)) : null);

    /// <summary>Whether the private key with this label can be read out of the HSM (it never should).</summary>
    public bool IsExtractable(string label) => WithSession(session =>
    {
        var handle = FindHandle(session, label, CKO.CKO_PRIVATE_KEY) ?? throw new HsmUnavailableException($"The HSM holds no key {label}.");
        var attributes = session.GetAttributeValue(handle, [CKA.CKA_EXTRACTABLE, CKA.CKA_SENSITIVE]);
        return attributes[0].GetValueAsBool() || !attributes[1].GetValueAsBool();
    });

    /// <summary>Signs a DER DigestInfo with CKM_RSA_PKCS (PKCS#1 v1.5) inside the HSM.</summary>
    internal byte[] SignRsaPkcs1(string label, byte[] digestInfo) => Run(label, Sign, session =>
    {
        var handle = FindHandle(session, label, CKO.CKO_PRIVATE_KEY) ?? throw new HsmUnavailableException($"The HSM holds no signing key {label}.");
        return session.Sign(Factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS), handle, digestInfo);
    });

    /// <summary>Makes sure an AES-256 key-encryption key with this label exists (created inside the HSM if not).</summary>
    public void EnsureAesKey(string label) =>
        EnsureSecretKey(label, CKK.CKK_AES, CKM.CKM_AES_KEY_GEN, CKA.CKA_ENCRYPT, CKA.CKA_DECRYPT, "AES-256");

    /// <summary>
    /// AES-256-GCM inside the HSM with the key <paramref name="label"/>: a fresh 96-bit nonce, then ciphertext and tag.
    /// <paramref name="associatedData"/> binds the result to its purpose (it must be the same to unwrap).
    /// </summary>
    public byte[] WrapWith(string label, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var nonce = RandomNumberGenerator.GetBytes(GcmNonceBytes);
        var input = plaintext.ToArray();
        var aad = associatedData.ToArray();
        var sealedBytes = Run(label, Wrap, session => session.Encrypt(Gcm(nonce, aad), AesKey(session, label), input));
        return [.. nonce, .. sealedBytes];
    }

    /// <summary>The inverse of <see cref="WrapWith"/>; a changed byte, another key or other associated data throw.</summary>
    public byte[] UnwrapWith(string label, ReadOnlySpan<byte> wrapped, ReadOnlySpan<byte> associatedData)
    {
        if (wrapped.Length < GcmNonceBytes + GcmTagBits / 8) throw new CryptographicException("The wrapped value is too short.");
        var nonce = wrapped[..GcmNonceBytes].ToArray();
        var input = wrapped[GcmNonceBytes..].ToArray();
        var aad = associatedData.ToArray();
        try
        {
            return Run(label, Unwrap, session => session.Decrypt(Gcm(nonce, aad), AesKey(session, label), input));
        }
        // A failed tag check: SoftHSM2 reports it as CKR_GENERAL_ERROR, the standard as CKR_ENCRYPTED_DATA_INVALID.
        catch (HsmUnavailableException e) when (e.InnerException is Pkcs11Exception { RV: CKR.CKR_ENCRYPTED_DATA_INVALID or CKR.CKR_ENCRYPTED_DATA_LEN_RANGE or CKR.CKR_GENERAL_ERROR })
        {
            throw new CryptographicException($"The value does not unwrap with key {label}: changed, or wrapped by another key.", e);
        }
    }

    /// <summary>Whether the HSM holds a secret key (AES or HMAC) with this label.</summary>
    public bool HasSecretKey(string label) => WithSession(session => FindHandle(session, label, CKO.CKO_SECRET_KEY)) is not null;

    /// <summary>
    /// Makes sure a 256-bit generic-secret key for HMAC-SHA256 with this label exists (created inside the HSM if not),
    /// sensitive and non-extractable: it can only be used to compute MACs there.
    /// </summary>
    public void EnsureHmacKey(string label) =>
        EnsureSecretKey(label, CKK.CKK_GENERIC_SECRET, CKM.CKM_GENERIC_SECRET_KEY_GEN, CKA.CKA_SIGN, CKA.CKA_VERIFY, "HMAC");

    /// <summary>
    /// A 256-bit secret key generated inside the token (persistent, private, sensitive, non-extractable) for the two
    /// operations it is meant for, unless one with this label exists. Created once however many threads ask.
    /// </summary>
    private void EnsureSecretKey(string label, CKK keyType, CKM generation, CKA use, CKA inverseUse, string kind)
    {
        if (HasSecretKey(label)) return;
        lock (_creationGate)
        {
            if (HasSecretKey(label)) return;
            var a = Factories.ObjectAttributeFactory;
            List<IObjectAttribute> template =
            [
                a.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY), a.Create(CKA.CKA_KEY_TYPE, keyType), a.Create(CKA.CKA_VALUE_LEN, 32UL),
                a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_PRIVATE, true), a.Create(CKA.CKA_LABEL, label),
                a.Create(CKA.CKA_ID, RandomNumberGenerator.GetBytes(16)),
                a.Create(CKA.CKA_SENSITIVE, true), a.Create(CKA.CKA_EXTRACTABLE, false), a.Create(use, true), a.Create(inverseUse, true),
            ];
            Run(label, Generate, session => _handles[(label, CKO.CKO_SECRET_KEY)] =
                session.GenerateKey(Factories.MechanismFactory.Create(generation), template));
            _logger.LogInformation("Created {KeyKind} key {KeyLabel} in the HSM", kind, label);
        }
    }

    /// <summary>HMAC-SHA256 (CKM_SHA256_HMAC) of <paramref name="data"/> inside the HSM with the key <paramref name="label"/>.</summary>
    public byte[] HmacSha256(string label, ReadOnlySpan<byte> data)
    {
        var input = data.ToArray();
        return Run(label, Mac, session =>
        {
            var handle = FindHandle(session, label, CKO.CKO_SECRET_KEY) ?? throw new HsmUnavailableException($"The HSM holds no HMAC key {label}.");
            return session.Sign(Factories.MechanismFactory.Create(CKM.CKM_SHA256_HMAC), handle, input);
        });
    }

    /// <summary>Removes a key pair or secret key with this label (a signing key past its retention).</summary>
    public void DestroyKey(string label) => Run(label, Destroy, session =>
    {
        foreach (var keyClass in new[] { CKO.CKO_PRIVATE_KEY, CKO.CKO_PUBLIC_KEY, CKO.CKO_SECRET_KEY })
        {
            if (FindHandle(session, label, keyClass) is { } handle) session.DestroyObject(handle);
            _handles.TryRemove((label, keyClass), out _);
        }
        return 0;
    });

    /// <summary>The uses counted since the previous call, for the security log; the counters restart from zero.</summary>
    public IReadOnlyList<HsmKeyUse> DrainUsage()
    {
        var uses = new List<HsmKeyUse>();
        foreach (var key in _usage.Keys)
        {
            if (_usage.TryRemove(key, out var count) && count > 0) uses.Add(new HsmKeyUse(key.Key, key.Operation, count));
        }
        return uses;
    }

    /// <summary>Throws <see cref="HsmUnavailableException"/> unless the token is reachable and logged in.</summary>
    public void EnsureReachable() => WithSession(_ => 0);

    private IMechanism Gcm(byte[] nonce, byte[] aad) =>
        Factories.MechanismFactory.Create(CKM.CKM_AES_GCM,
            Factories.MechanismParamsFactory.CreateCkGcmParams(nonce, (ulong)nonce.Length * 8, aad, GcmTagBits));

    private IObjectHandle AesKey(ISession session, string label) =>
        FindHandle(session, label, CKO.CKO_SECRET_KEY) ?? throw new HsmUnavailableException($"The HSM holds no key-encryption key {label}.");

    private T Run<T>(string label, string operation, Func<ISession, T> action)
    {
        var result = WithSession(action);
        _usage.AddOrUpdate((label, operation), 1, (_, count) => count + 1);
        _operations.Add(1, new KeyValuePair<string, object?>("key", label), new KeyValuePair<string, object?>("operation", operation));
        return result;
    }

    private T WithSession<T>(Func<ISession, T> action)
    {
        ISession session;
        try
        {
            session = _pool.TryTake(out var pooled) ? pooled : OpenSession();
        }
        catch (Exception e) when (e is Pkcs11Exception or UnmanagedException or DllNotFoundException)
        {
            throw new HsmUnavailableException($"The HSM token {_options.TokenLabel} cannot be opened: {e.Message}", e);
        }

        var healthy = true;
        try
        {
            return action(session);
        }
        catch (Pkcs11Exception e)
        {
            healthy = e.RV is not (CKR.CKR_SESSION_CLOSED or CKR.CKR_SESSION_HANDLE_INVALID or CKR.CKR_DEVICE_ERROR or CKR.CKR_DEVICE_REMOVED or CKR.CKR_TOKEN_NOT_PRESENT);
            throw new HsmUnavailableException($"The HSM refused the operation: {e.RV}", e);
        }
        finally
        {
            if (healthy && _pool.Count < _options.PooledSessions) _pool.Add(session);
            else session.Dispose();
        }
    }

    private ISession OpenSession()
    {
        var slot = Slot();
        EnsureLoggedIn(slot);
        return slot.OpenSession(SessionType.ReadWrite);
    }

    // Not a Lazy: that would keep the first failure (an HSM down at start-up) for the life of the process.
    private ISlot Slot()
    {
        if (_slot is { } slot) return slot;
        lock (_slotGate) return _slot ??= OpenToken();
    }

    // The login belongs to the application and ends with its last session: one session stays open only to hold it.
    private void EnsureLoggedIn(ISlot slot)
    {
        if (_anchor is not null) return;
        lock (_anchorGate)
        {
            if (_anchor is not null) return;
            var anchor = slot.OpenSession(SessionType.ReadWrite);
            try
            {
                anchor.Login(CKU.CKU_USER, _options.UserPin);
            }
            catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
            {
                // Another Pkcs11Hsm of this process (a second host in tests) logged in to the same token.
            }
            catch
            {
                anchor.Dispose();
                throw;
            }
            _anchor = anchor;
        }
    }

    private IObjectHandle? FindHandle(ISession session, string label, CKO keyClass)
    {
        if (_handles.TryGetValue((label, keyClass), out var cached)) return cached;
        var a = Factories.ObjectAttributeFactory;
        var found = session.FindAllObjects([a.Create(CKA.CKA_CLASS, keyClass), a.Create(CKA.CKA_LABEL, label)]);
        if (found.Count == 0) return null;
        if (found.Count > 1) _logger.LogWarning("The HSM holds {Count} objects labelled {KeyLabel}; the first is used", found.Count, label);
        return _handles[(label, keyClass)] = found[0];
    }

    private static ECParameters ReadEcPublicKey(ISession session, IObjectHandle publicKey)
    {
        // CKA_EC_POINT is a DER OCTET STRING around the uncompressed point 04 ‖ X ‖ Y.
        var point = session.GetAttributeValue(publicKey, [CKA.CKA_EC_POINT])[0].GetValueAsByteArray();
        var reader = new System.Formats.Asn1.AsnReader(point, System.Formats.Asn1.AsnEncodingRules.DER);
        var uncompressed = reader.ReadOctetString();
        if (uncompressed.Length != 65 || uncompressed[0] != 0x04) throw new HsmUnavailableException("The HSM returned an EC point that is not an uncompressed P-256 point.");
        return new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = uncompressed[1..33], Y = uncompressed[33..] },
        };
    }

    private static RSAParameters ReadRsaPublicKey(ISession session, IObjectHandle publicKey)
    {
        var values = session.GetAttributeValue(publicKey, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
        return new RSAParameters { Modulus = values[0].GetValueAsByteArray(), Exponent = values[1].GetValueAsByteArray() };
    }

    private ISlot OpenToken()
    {
        var library = Library(_options);
        if (FindToken(library) is { } slot) return slot;
        if (string.IsNullOrEmpty(_options.InitializeWithSoPin))
            throw new HsmUnavailableException($"The HSM has no token labelled {_options.TokenLabel}.");

        lock (LibrariesGate)
        {
            if (FindToken(library) is { } existing) return existing;
            var free = library.GetSlotList(SlotsType.WithTokenPresent).FirstOrDefault(s => !s.GetTokenInfo().TokenFlags.TokenInitialized)
                ?? throw new HsmUnavailableException("The HSM has no free slot to initialise a token in.");
            free.InitToken(_options.InitializeWithSoPin, _options.TokenLabel);
            // SoftHSM moves an initialised token to a slot of its own: find it again by its label.
            var initialized = FindToken(library) ?? throw new HsmUnavailableException($"The token {_options.TokenLabel} vanished after initialisation.");
            using (var so = initialized.OpenSession(SessionType.ReadWrite))
            {
                so.Login(CKU.CKU_SO, _options.InitializeWithSoPin);
                so.InitPin(_options.UserPin);
                so.Logout();
            }
            _logger.LogInformation("Initialised HSM token {TokenLabel}", _options.TokenLabel);
            return initialized;
        }
    }

    private ISlot? FindToken(IPkcs11Library library) =>
        library.GetSlotList(SlotsType.WithTokenPresent).FirstOrDefault(s =>
        {
            var info = s.GetTokenInfo();
            return info.TokenFlags.TokenInitialized && info.Label.TrimEnd() == _options.TokenLabel;
        });

    private static IPkcs11Library Library(HsmOptions options)
    {
        lock (LibrariesGate)
        {
            if (Libraries.TryGetValue(options.LibraryPath, out var library)) return library;
            if (!string.IsNullOrEmpty(options.SoftHsmConfig))
            {
                // SoftHSM reads getenv("SOFTHSM2_CONF") in C_Initialize; .NET's Environment does not reach the native one.
                if (NativeEnvironment.SetEnv("SOFTHSM2_CONF", options.SoftHsmConfig, 1) != 0)
                    throw new HsmUnavailableException("SOFTHSM2_CONF could not be set.");
            }
            return Libraries[options.LibraryPath] = Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, options.LibraryPath, AppType.MultiThreaded);
        }
    }

    public void Dispose()
    {
        while (_pool.TryTake(out var session)) session.Dispose();
        _anchor?.Dispose();
        _anchor = null;
    }

    private static class NativeEnvironment
    {
        [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi)]
        public static extern int SetEnv(string name, string value, int overwrite);
    }
}
