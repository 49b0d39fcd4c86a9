namespace KafkaChaos.Faults;

/// <summary>
/// When a fault is applied, in time since the workload started: once at <see cref="At"/>; or
/// <see cref="Count"/> times every <see cref="Every"/> from <see cref="At"/>; or <see cref="Count"/>
/// times at random in [<see cref="At"/>, <see cref="WindowEnd"/>), drawn from the experiment's seed.
/// </summary>
public sealed record FaultTrigger(TimeSpan At, TimeSpan? Every = null, int Count = 1, TimeSpan? WindowEnd = null)
{
    /// <summary>The application times, in order; deterministic for a given <paramref name="random"/>.</summary>
    public IReadOnlyList<TimeSpan> Times(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (WindowEnd is { } end)
        {
            return Enumerable.Range(0, Count).Select(_ => At + ((end - At) * random.NextDouble())).Order().ToArray();
        }

        if (Every is { } every)
        {
            return Enumerable.Range(0, Count).Select(i => At + (every * i)).ToArray();
        }

        return [At];
    }

    public override string ToString() =>
        WindowEnd is { } end ? $"{Count} time(s) at random in {At.TotalSeconds:0.###}-{end.TotalSeconds:0.###} s"
        : Every is { } every ? $"{Count} time(s) every {every.TotalSeconds:0.###} s from {At.TotalSeconds:0.###} s"
        : $"at {At.TotalSeconds:0.###} s";
}
