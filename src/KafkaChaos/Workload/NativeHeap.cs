using System.Runtime.InteropServices;

namespace KafkaChaos.Workload;

/// <summary>
/// Hands the C heap's free pages back to the system. librdkafka allocates with malloc on threads of its
/// own, and glibc keeps what they free in per-thread arenas instead of returning it. Over an hour of
/// client restarts and broker faults the tool's resident memory grew about 2 MB a minute that way (the
/// soak, docs/soak.md); one malloc_trim gave back 49 MB of it, all free memory. Elsewhere than glibc
/// this does nothing.
/// </summary>
public static class NativeHeap
{
    private static readonly MallocTrim? Trimmer = Load();

    private delegate int MallocTrim(nuint pad);

    /// <summary>Returns free memory in every arena to the system; cheap enough to call every few seconds.</summary>
    public static void Trim() => Trimmer?.Invoke(0);

    private static MallocTrim? Load() =>
        OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libc.so.6", out var libc) && NativeLibrary.TryGetExport(libc, "malloc_trim", out var trim)
            ? Marshal.GetDelegateForFunctionPointer<MallocTrim>(trim)
            : null;
}
