namespace KafkaChaos.Reporting;

/// <summary>
/// The Wilson score interval for a rate seen k times in n runs. Unlike k/n ± a normal error it stays
/// within 0..1 and says something at k = 0 or k = n: 0 of 5 still allows a rate up to 43% at 95%, which is
/// why one clean run of a race proves nothing.
/// </summary>
public readonly record struct WilsonInterval(double Low, double High)
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    public static WilsonInterval Of(int seen, int runs, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seen);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, seen);
        if (runs == 0)
        {
            return new WilsonInterval(0, 1);
        }

        var p = (double)seen / runs;
        var z2 = z * z;
        var centre = (p + (z2 / (2 * runs))) / (1 + (z2 / runs));
        var half = z * Math.Sqrt((p * (1 - p) / runs) + (z2 / (4.0 * runs * runs))) / (1 + (z2 / runs));
        return new WilsonInterval(Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    public override string ToString() => FormattableString.Invariant($"{Low * 100:0}%–{High * 100:0}%");
}
