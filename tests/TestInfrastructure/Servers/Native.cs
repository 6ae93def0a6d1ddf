using System.Runtime.InteropServices;

namespace Gosuslugi.Health.TestInfrastructure.Servers;

/// <summary>POSIX calls that System.Diagnostics.Process does not offer (signals other than SIGKILL, uid).</summary>
internal static partial class Native
{
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int sig);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint SysGetEuid();

    public static bool IsRoot => OperatingSystem.IsLinux() && SysGetEuid() == 0;

    public static bool Signal(int pid, int signal) => pid > 0 && SysKill(pid, signal) == 0;

    /// <summary>kill(pid, 0): true when the process exists (zombies included).</summary>
    public static bool IsAlive(int pid) => pid > 0 && (SysKill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == 1 /* EPERM */);
}
