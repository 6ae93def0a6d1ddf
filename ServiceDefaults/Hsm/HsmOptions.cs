namespace Gosuslugi.Health.ServiceDefaults.Hsm;

/// <summary>Where the hardware security module is and how to log in to it (section <c>Hsm</c>).</summary>
public sealed class HsmOptions
{
    public const string Section = "Hsm";

    /// <summary>The vendor's PKCS#11 library; SoftHSM2's in development and tests.</summary>
    public string LibraryPath { get; set; } = "/usr/lib/softhsm/libsofthsm2.so";

    /// <summary>
    /// SoftHSM2 only: its configuration file (where its token files live). Set in the process's native environment
    /// as <c>SOFTHSM2_CONF</c> before the library loads, so one process may carry it in configuration like the rest.
    /// </summary>
    public string? SoftHsmConfig { get; set; }

    /// <summary>The label of the token (an HSM partition) that holds this system's keys.</summary>
    public string TokenLabel { get; set; } = "gosuslugi-health";

    /// <summary>The user PIN (CKU_USER). Never in the repository: generated on first start or given by the operator.</summary>
    public string UserPin { get; set; } = "";

    /// <summary>
    /// Development and tests only: initialise the token in a free slot when no token has <see cref="TokenLabel"/>, with
    /// this security officer PIN. In production the HSM's operators initialise tokens; leave it empty.
    /// </summary>
    public string? InitializeWithSoPin { get; set; }

    /// <summary>Sessions kept open for reuse; an operation beyond them opens one more and closes it afterwards.</summary>
    public int PooledSessions { get; set; } = 8;
}
