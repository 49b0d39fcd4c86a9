namespace KafkaChaos.Reporting;

/// <summary>How often a count was above 0 over the repetitions of one cell, with its 95% Wilson interval.</summary>
public sealed record CountRate(string Count, int Seen, int Runs, double Low, double High)
{
    /// <summary>"seen in 3 of 5 (23%–88%)".</summary>
    public override string ToString() => FormattableString.Invariant($"seen in {Seen} of {Runs} ({new WilsonInterval(Low, High)})");
}
