namespace KafkaChaos.Benchmarks;

/// <summary>
/// Restart, Stop and Elapsed over a <see cref="TimeProvider"/>'s timestamps: the one way the targets measure
/// a span, since Stopwatch, like every other clock than a TimeProvider, is banned in every project.
/// </summary>
internal sealed class ElapsedTimer(TimeProvider time)
{
    private long _started = time.GetTimestamp();
    private TimeSpan? _stopped;

    public TimeSpan Elapsed => _stopped ?? time.GetElapsedTime(_started);

    public void Restart()
    {
        _stopped = null;
        _started = time.GetTimestamp();
    }

    public void Stop() => _stopped = time.GetElapsedTime(_started);
}
