using System.Runtime.InteropServices;
using KafkaChaos.Workload;
using NUnit.Framework;

namespace KafkaChaos.Tests.Workload;

/// <summary>
/// What the C heap holds after a client frees its buffers out of order, as librdkafka's threads do, and
/// what a trim gives back: the resident memory, read from /proc.
/// </summary>
[NonParallelizable]
public class NativeHeapTests
{
    [Test]
    public void Trim_ReturnsFreedButFragmentedCHeapMemory()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/status"))
        {
            Assert.Ignore("needs Linux and /proc");
        }

        // Every other 64 KiB block freed: 32 MiB of holes that glibc cannot shrink its heap over.
        const int Blocks = 1024;
        var blocks = new IntPtr[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(64 * 1024);
            Touch(blocks[i]);
        }

        for (var i = 0; i < Blocks; i += 2)
        {
            Marshal.FreeHGlobal(blocks[i]);
        }

        var before = ResidentKib();
        NativeHeap.Trim();
        var after = ResidentKib();
        for (var i = 1; i < Blocks; i += 2)
        {
            Marshal.FreeHGlobal(blocks[i]);
        }

        TestContext.Progress.WriteLine($"resident before the trim {before} KiB, after {after} KiB");
        Assert.That(before - after, Is.GreaterThan(16 * 1024), "at least half of the 32 MiB of holes given back");
    }

    private static void Touch(IntPtr block)
    {
        for (var offset = 0; offset < 64 * 1024; offset += 4096)
        {
            Marshal.WriteByte(block, offset, 1);
        }
    }

    private static long ResidentKib() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}
