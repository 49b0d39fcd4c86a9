using System.Globalization;

namespace KafkaChaos.Bench;

/// <summary>
/// How a total grows along one axis of the scale sweep: the exponent b of a power law fitted to the
/// points (least squares on log-log), and its name. Per message, flat is what a harness should cost;
/// growth faster than linear is a finding.
/// </summary>
/// <param name="Axis">partitions, producers or messages.</param>
/// <param name="Figure">What grew, as a total (CPU, memory, bytes, seconds).</param>
/// <param name="Exponent">b in total ∝ axis^b.</param>
public sealed record ScaleGrowth(string Axis, string Figure, double Exponent)
{
    /// <summary>flat (b &lt; 0.2), sublinear (&lt; 0.8), linear (to 1.2), faster than linear.</summary>
    public string Class => Exponent switch
    {
        < 0.2 => "flat",
        < 0.8 => "sublinear",
        <= 1.2 => "linear",
        _ => "faster than linear",
    };

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Class} (b = {Exponent:0.00})");

    /// <summary>Least squares slope of ln(total) on ln(axis value); points with a total of 0 are left out.</summary>
    public static ScaleGrowth Fit(string axis, string figure, IReadOnlyList<(double Value, double Total)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var logs = points.Where(p => p.Value > 0 && p.Total > 0).Select(p => (X: Math.Log(p.Value), Y: Math.Log(p.Total))).ToList();
        if (logs.Count < 2)
        {
            return new ScaleGrowth(axis, figure, double.NaN);
        }

        var (meanX, meanY) = (logs.Average(p => p.X), logs.Average(p => p.Y));
        var spread = logs.Sum(p => (p.X - meanX) * (p.X - meanX));
        return new ScaleGrowth(axis, figure, spread == 0 ? double.NaN : logs.Sum(p => (p.X - meanX) * (p.Y - meanY)) / spread);
    }

    /// <summary>
    /// Every figure's growth along every axis: the points that differ from <paramref name="baseline"/> in that axis
    /// alone, with the baseline itself.
    /// </summary>
    public static IReadOnlyList<ScaleGrowth> Along(ScalePoint baseline, IReadOnlyList<ScaleResult> results)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(results);
        var axes = ScalePoint.Axes(baseline);
        var growth = new List<ScaleGrowth>();
        foreach (var (name, value, onAxis) in axes)
        {
            var points = results.Where(r => onAxis(r.Point)).ToList();
            if (points.Select(r => value(r.Point)).Distinct().Count() < 2)
            {
                continue;
            }

            foreach (var figure in points[0].Totals().Select(t => t.Name))
            {
                growth.Add(Fit(name, figure, [.. points.Select(r => (value(r.Point), r.Totals().Single(t => t.Name == figure).Total))]));
            }
        }

        return growth;
    }
}
