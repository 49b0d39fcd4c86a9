using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;

namespace KafkaChaos.Journal;

/// <summary>
/// started.bin: for each producer identity, how many sends it has started, stored before each send
/// through a shared memory mapping of the file.
/// </summary>
/// <remarks>
/// Outcomes reach produced.bin only with the journal's flush, every 200 ms; a SIGKILL loses what the last
/// flush had not written, and the brokers could then hold messages the journal never heard of. A store
/// into a shared mapping lands in the kernel's page cache at once, and a killed process cannot take it
/// back (a power cut can; so can it take the brokers' page cache). The reader counts every started send
/// without an outcome as unknown: in flight when the tool died. One 8-byte little-endian count a
/// producer id, so the hot path is one store, and a write never tears across two counts.
/// </remarks>
public sealed class StartedSends : IDisposable
{
    public const string FileName = "started.bin";

    /// <summary>Producer ids 0..65535: far above 16 producers restarted every few seconds for a day.</summary>
    public const int Slots = 1 << 16;

    private const long Length = Slots * 8L;
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;

    public StartedSends(string runDirectory)
    {
        _file = MemoryMappedFile.CreateFromFile(Path.Combine(runDirectory, FileName), FileMode.CreateNew, null, Length, MemoryMappedFileAccess.ReadWrite);
        _view = _file.CreateViewAccessor(0, Length, MemoryMappedFileAccess.ReadWrite);
    }

    /// <summary>Records that <paramref name="producer"/> has started <paramref name="count"/> sends.</summary>
    public void Started(int producer, long count)
    {
        if ((uint)producer >= Slots)
        {
            throw new InvalidOperationException($"producer id {producer} is beyond the {Slots} that {FileName} holds");
        }

        _view.Write(producer * 8L, count);
    }

    /// <summary>
    /// The counts in a run directory's started.bin (empty when it has none: journal formats 1 and 2). A
    /// file of the wrong size, or a count below 0 or above <paramref name="bound"/>, is damage.
    /// </summary>
    public static IReadOnlyDictionary<int, long> Read(string runDirectory, long bound)
    {
        var path = Path.Combine(runDirectory, FileName);
        var counts = new Dictionary<int, long>();
        if (!File.Exists(path))
        {
            return counts;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != Length)
        {
            throw new JournalFormatException($"{path}: {bytes.Length} bytes, not {Length}: the file is damaged");
        }

        for (var producer = 0; producer < Slots; producer++)
        {
            var count = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(producer * 8));
            if (count == 0)
            {
                continue;
            }

            if (count < 0 || count > bound)
            {
                throw new JournalFormatException($"{path}: byte {producer * 8}: producer {producer} started {count} sends, outside 0..{bound} (the run's messages): the file is damaged");
            }

            counts[producer] = count;
        }

        return counts;
    }

    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }
}
