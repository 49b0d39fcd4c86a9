using System.Buffers.Binary;

namespace KafkaChaos.Workload;

/// <summary>
/// The consumer-side processed-id table: producer+sequence pairs, appended to a file as they are
/// processed and indexed in memory with <see cref="SequenceSet"/>s.
/// </summary>
/// <remarks>
/// Shared by the consumers of one group, the way a table in the application's database would be. When a
/// consumer restarts, <see cref="ReloadFromDisk"/> rebuilds the index from the file alone, so effectively-
/// once processing is shown to rest on what was durably written, not on memory that a crash would lose.
/// Each entry is 12 bytes (producer u32, sequence u64, little-endian) and is flushed to the operating
/// system before the record counts as processed.
/// </remarks>
public sealed class DedupStore : IDisposable
{
    public const string FileName = "dedup.bin";
    private const int EntrySize = 12;

    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly byte[] _entry = new byte[EntrySize];
    private Dictionary<int, SequenceSet> _index = [];
    private FileStream _file;

    public DedupStore(string path)
    {
        _path = path;
        _file = Open();
    }

    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _index.Values.Sum(s => s.Count);
            }
        }
    }

    public bool Contains(int producer, long sequence)
    {
        lock (_gate)
        {
            return _index.TryGetValue(producer, out var set) && set.Contains(sequence);
        }
    }

    /// <returns>False when the pair was already in the store.</returns>
    public bool Add(int producer, long sequence)
    {
        lock (_gate)
        {
            if (!_index.TryGetValue(producer, out var set))
            {
                _index[producer] = set = new SequenceSet();
            }

            if (!set.Add(sequence))
            {
                return false;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(_entry, (uint)producer);
            BinaryPrimitives.WriteInt64LittleEndian(_entry.AsSpan(4), sequence);
            _file.Write(_entry);
            _file.Flush();
            return true;
        }
    }

    /// <summary>Drops the in-memory index and rebuilds it from the file.</summary>
    public void ReloadFromDisk()
    {
        lock (_gate)
        {
            _file.Dispose();
            _index = [];
            _file = Open();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file.Dispose();
        }
    }

    private FileStream Open()
    {
        var file = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var whole = file.Length / EntrySize * EntrySize; // a torn last entry was never acknowledged as processed
        var buffer = new byte[EntrySize];
        while (file.Position < whole)
        {
            file.ReadExactly(buffer);
            var producer = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer);
            if (!_index.TryGetValue(producer, out var set))
            {
                _index[producer] = set = new SequenceSet();
            }

            set.Add(BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(4)));
        }

        file.SetLength(whole);
        file.Position = whole;
        return file;
    }
}
