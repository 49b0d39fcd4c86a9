using System.Diagnostics;

namespace KafkaChaos.Bench;

/// <summary>
/// Process-wide CPU, allocation and GC counters, read before and after a run. CPU includes the
/// client library's own threads, which is the cost a user pays per message. The time the runtime
/// paused every thread for a collection is what a GC adds to a latency tail.
/// </summary>
internal readonly record struct ProcessCounters(TimeSpan Cpu, long Allocated, int Gen0, int Gen1, int Gen2, TimeSpan GcPause)
{
    public static ProcessCounters Read()
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessCounters(process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true),
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
    }

    public static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
