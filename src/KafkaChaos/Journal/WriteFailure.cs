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
