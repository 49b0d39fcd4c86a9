namespace KafkaChaos.Journal;

/// <summary>The journal's clock units, read from a <see cref="TimeProvider"/> so tests can control time.</summary>
public static class UnixTime
{
    public static long Millis(this TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();

    public static long Micros(this TimeProvider time) => (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
}
