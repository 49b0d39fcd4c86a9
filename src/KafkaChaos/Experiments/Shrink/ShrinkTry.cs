namespace KafkaChaos.Experiments.Shrink;

/// <summary>One candidate tried: what was changed, how often the anomaly showed, its Wilson interval, and whether it was kept.</summary>
public sealed record ShrinkTry(int Step, string Change, int Seen, int Runs, Reporting.WilsonInterval Interval, bool Kept)
{
    public override string ToString() => FormattableString.Invariant($"try {Step}: {Change}: seen in {Seen} of {Runs} ({Interval}){(Kept ? ", kept" : "")}");
}
