using System.Security.Cryptography;

namespace Gosuslugi.Health.TestInfrastructure;

/// <summary>
/// SoftHSM2 for tests: one token directory per test process (SoftHSM reads its configuration once per process), and a
/// token of its own per caller, initialised by the service on first use from the settings given here.
/// </summary>
public static class TestHsm
{
    private static readonly Lazy<string> ConfigFile = new(CreateConfiguration);

    /// <summary>Settings (section Hsm) for a new, empty token with random PINs.</summary>
    public static Dictionary<string, string?> NewTokenSettings(string purpose) => new()
    {
        ["Hsm:SoftHsmConfig"] = ConfigFile.Value,
        // A token label has at most 32 characters.
        ["Hsm:TokenLabel"] = $"{purpose[..Math.Min(23, purpose.Length)]}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}",
        ["Hsm:UserPin"] = RandomNumberGenerator.GetHexString(16),
        ["Hsm:InitializeWithSoPin"] = RandomNumberGenerator.GetHexString(16),
    };

    private static string CreateConfiguration()
    {
        if (!File.Exists("/usr/lib/softhsm/libsofthsm2.so"))
            throw new InvalidOperationException("SoftHSM2 is not installed: apt-get install softhsm2 (./test.sh does it).");
        var folder = Path.Combine(Path.GetTempPath(), "softhsm-tests-" + Guid.NewGuid().ToString("N"));
        var tokens = Directory.CreateDirectory(Path.Combine(folder, "tokens")).FullName;
        var file = Path.Combine(folder, "softhsm2.conf");
        File.WriteAllText(file, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        ProcessExitHook.Register(() =>
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        });
        return file;
    }
}
