using System.Globalization;

namespace Gosuslugi.Health.TestInfrastructure.Servers;

/// <summary>
/// A tiny shell process that outlives its owner on purpose: when the owner dies without cleaning up
/// (SIGKILL, crash, a test host killed by its runner), it signals the owner's servers and removes
/// their temporary folder, so that no server outlives the process that started it.
/// </summary>
internal static class Watchdog
{
    private const string Script = """
        owner=$1; sig=$2; dir=$3; shift 3
        while kill -0 "$owner" 2>/dev/null; do
          alive=0
          for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
          [ "$alive" = 1 ] || exit 0
          sleep 1
        done
        for p in "$@"; do kill -"$sig" "$p" 2>/dev/null; done
        for i in 1 2 3 4 5 6 7 8 9 10; do
          alive=0
          for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
          [ "$alive" = 1 ] || break
          sleep 1
        done
        for p in "$@"; do kill -KILL "$p" 2>/dev/null; done
        [ -n "$dir" ] && rm -rf "$dir"
        exit 0
        """;

    public static void Guard(int signal, string? directoryToRemove, params int[] pids)
    {
        if (!OperatingSystem.IsLinux() || pids.Length == 0) return;
        var args = new List<string> { "-c", Script, "watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            signal.ToString(CultureInfo.InvariantCulture), directoryToRemove ?? "" };
        args.AddRange(pids.Where(p => p > 0).Select(p => p.ToString(CultureInfo.InvariantCulture)));
        try
        {
            // Not kept: it exits by itself once the guarded processes are gone.
            ManagedProcess.Start("watchdog", "/bin/sh", args).Dispose();
        }
        catch (ServerStartException)
        {
            // Without a watchdog the normal stop paths still apply.
        }
    }
}
