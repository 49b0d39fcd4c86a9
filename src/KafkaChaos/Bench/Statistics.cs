namespace KafkaChaos.Bench;

/// <summary>The median the bench reports everywhere (mean of the middle pair for an even count), and how far it can be trusted.</summary>
internal static class Statistics
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>
    /// A distribution-free confidence interval for the median: the k-th smallest and k-th largest
    /// value, with k the largest for which each tail holds at most 5% (binomial, p = ½). It assumes
    /// nothing about the shape of the noise, which on a small shared machine is anything but normal.
    /// </summary>
    /// <returns>
    /// The interval and the confidence it actually has: at least 90% from 5 values on (5: the whole
    /// range, 93.75%); fewer values cannot reach 90%, and get their whole range with what it is worth
    /// (3: 75%).
    /// </returns>
    public static MedianInterval IntervalOfMedian(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        if (n == 0)
        {
            return new MedianInterval(0, 0, 0);
        }

        // tail[j]: the chance that at most j of n values fall below the median.
        var tail = new double[n + 1];
        var term = Math.Pow(0.5, n);
        var sum = 0.0;
        for (var j = 0; j <= n; j++)
        {
            sum += term;
            tail[j] = sum;
            term = term * (n - j) / (j + 1);
        }

        var k = 1;
        while (k < (n + 1) / 2 && tail[k] <= 0.05)
        {
            k++;
        }

        return new MedianInterval(sorted[k - 1], sorted[n - k], 1 - (2 * tail[k - 1]));
    }
}

/// <summary>A confidence interval for a median: <see cref="Low"/> to <see cref="High"/>, holding the median with probability <see cref="Confidence"/>.</summary>
internal readonly record struct MedianInterval(double Low, double High, double Confidence)
{
    /// <summary>Whether <paramref name="limit"/> lies inside: the data cannot tell the median from the limit.</summary>
    public bool Contains(double limit) => Low <= limit && limit <= High;
}
