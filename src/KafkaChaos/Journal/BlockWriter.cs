namespace KafkaChaos.Journal;

/// <summary>
/// One binary journal stream: records are encoded into <see cref="Pending"/> under <see cref="Gate"/>
/// and written out as one block per flush (see <see cref="BlockFormat"/>).
/// </summary>
/// <remarks>
/// A failed write (a full disk) is reported to <see cref="WriteFailure"/> and ends the stream: what is
/// on disk stays readable up to its last whole block, and later records are dropped, not half-written.
/// </remarks>
internal sealed class BlockWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly WriteFailure _failure;
    private readonly byte[] _header = new byte[BlockFormat.HeaderSize];
    private int _count;
    private bool _disposed;

    /// <summary>The delta state of the block being filled; encoders update it in place.</summary>
    public DeltaState State;

    public BlockWriter(string path, WriteFailure failure)
    {
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16);
        _failure = failure;
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
            _failure.Guard(() => _file.Flush(durable));
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
            _failure.Guard(() => _file.Flush(flushToDisk: true));
            _disposed = true;
            try
            {
                _file.Dispose();
            }
            catch (IOException)
            {
                // The buffered rest could not be written either; the failure was reported already.
            }
        }
    }

    private void WriteBlock()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_count == 0)
        {
            return;
        }

        _failure.Guard(() =>
        {
            BlockFormat.WriteHeader(_header, Pending.Written, _count);
            _file.Write(_header);
            _file.Write(Pending.Written);
        });

        Pending.Clear();
        _count = 0;
        State = default;
    }
}
