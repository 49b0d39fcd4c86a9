namespace KafkaChaos;

/// <summary>
/// Waiting and deadlines read from a <see cref="TimeProvider"/>, never the wall clock directly: the
/// analyzer bans <c>DateTime.UtcNow</c> and <c>Thread.Sleep</c> everywhere else (BannedSymbols.txt), so
/// that every timeout can be driven by a fake clock in a test.
/// </summary>
public static class TimeProviderWaits
{
    /// <summary>
    /// Blocks a dedicated client thread for <paramref name="delay"/> as <paramref name="time"/> measures it.
    /// The system clock sleeps the thread, which costs no timer on the producer's 1 ms pacing path; any
    /// other clock waits on that clock's own timer.
    /// </summary>
    public static void Sleep(this TimeProvider time, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (ReferenceEquals(time, TimeProvider.System))
        {
#pragma warning disable RS0030 // The one sanctioned sleep: the system clock's own.
            Thread.Sleep(delay);
#pragma warning restore RS0030
            return;
        }

        Task.Delay(delay, time).GetAwaiter().GetResult();
    }

    /// <summary>
    /// A token that is cancelled when <paramref name="token"/> is, or once <paramref name="timeout"/> has passed
    /// on <paramref name="time"/>: the one way to put a time limit on an operation (timed token sources and
    /// <c>CancelAfter</c> are banned, since they read the wall clock).
    /// </summary>
    public static CancellationTokenSource Limit(this TimeProvider time, TimeSpan timeout, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new TimedLimit(timeout, time, token);
    }

    /// <summary>A source cancelled by its own timer on the clock or by an outer token, whose link to that token ends with it.</summary>
    private sealed class TimedLimit : CancellationTokenSource
    {
        private readonly CancellationTokenRegistration _outer;

        public TimedLimit(TimeSpan timeout, TimeProvider time, CancellationToken outer)
            : base(timeout, time)
        {
            _outer = outer.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), this);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                // First unlink, so that the outer token can never cancel a disposed source.
                _outer.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>The moment <paramref name="timeout"/> from now.</summary>
    public static DateTimeOffset Deadline(this TimeProvider time, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(time);
        return time.GetUtcNow() + timeout;
    }

    /// <summary>Whether <paramref name="deadline"/> is still ahead.</summary>
    public static bool Before(this TimeProvider time, DateTimeOffset deadline)
    {
        ArgumentNullException.ThrowIfNull(time);
        return time.GetUtcNow() < deadline;
    }
}
