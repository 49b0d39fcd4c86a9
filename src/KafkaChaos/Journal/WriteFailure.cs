namespace KafkaChaos.Journal;

/// <summary>
/// The first write to a run directory that failed, most often because the disk is full. Writers report
/// it here instead of throwing on whatever thread they run (a delivery handler, a timer), and it trips
/// <see cref="Tripped"/>, which stops the run: a verdict built on a journal that silently stopped growing
/// would be wrong, so the run ends as failed, with this as its reason.
/// </summary>
public sealed class WriteFailure : IDisposable
{
    private readonly CancellationTokenSource _tripped = new();
    private IOException? _first;

    /// <summary>The first failure, or null while every write has succeeded.</summary>
    public IOException? First => Volatile.Read(ref _first);

    /// <summary>Cancelled by the first failure.</summary>
    public CancellationToken Tripped => _tripped.Token;

    /// <summary>
    /// Runs one write unless a write to the run directory has failed already, in which case it does
    /// nothing: every stream stops at the first failure, so the journal on disk is one cut in time.
    /// A failure of this write is reported, not thrown.
    /// </summary>
    public void Guard(Action write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (First is not null)
        {
            return;
        }

        try
        {
            write();
        }
        catch (IOException e)
        {
            Report(e);
        }
    }

    public void Report(IOException failure)
    {
        if (Interlocked.CompareExchange(ref _first, failure, null) is null)
        {
            // Never run the run's cancellation callbacks on the writer's thread, under its lock.
            _ = _tripped.CancelAsync();
        }
    }

    public void Dispose() => _tripped.Dispose();
}
