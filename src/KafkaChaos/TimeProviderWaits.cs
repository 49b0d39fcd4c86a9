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
