namespace KafkaChaos.Journal;

/// <summary>
/// One binary journal stream: records are encoded into <see cref="Pending"/> under <see cref="Gate"/>
/// and written out as one block per flush (see <see cref="BlockFormat"/>).
/// </summary>
internal sealed class BlockWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly byte[] _header = new byte[BlockFormat.HeaderSize];
    private int _count;
    private bool _disposed;

    /// <summary>The delta state of the block being filled; encoders update it in place.</summary>
    public DeltaState State;

    public BlockWriter(string path)
    {
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16);
    }

    public Lock Gate { get; } = new();

    public RecordBuffer Pending { get; } = new();

    /// <summary>Read under <see cref="Gate"/>: a record written after dispose would be silently lost.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Call under <see cref="Gate"/> after encoding one record.</summary>
    public void RecordEncoded()
    {
        _count++;
        if (Pending.Length >= BlockFormat.TargetBlockBytes)
        {
            WriteBlock();
        }
    }

    public void Flush(bool durable)
    {
        lock (Gate)
        {
            if (_disposed)
            {
                return;
            }

            WriteBlock();
            _file.Flush(durable);
        }
    }

    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed)
            {
                return;
            }

            WriteBlock();
            _file.Flush(flushToDisk: true);
            _file.Dispose();
            _disposed = true;
        }
    }

    private void WriteBlock()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_count == 0)
        {
            return;
        }

        BlockFormat.WriteHeader(_header, Pending.Written, _count);
        _file.Write(_header);
        _file.Write(Pending.Written);
        Pending.Clear();
        _count = 0;
        State = default;
    }
}
