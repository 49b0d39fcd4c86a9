using KafkaChaos.Faults;
using KafkaChaos.Reporting;

namespace KafkaChaos.Experiments.Shrink;

/// <summary>
/// Delta debugging over a failing cell's plan: drop faults (complements first, then halves, then one at a time,
/// as ddmin does), then shorten each fault's hold, move each fault earlier, and cut the messages, keeping a
/// candidate only while the anomaly still shows in at least <see cref="AtLeast"/> of <see cref="Repetitions"/>
/// repetitions. The oracle runs the repetitions; the search is a pure function of its answers, so that its steps
/// can be tested against a scripted oracle.
/// </summary>
/// <remarks>
/// A race shows at a rate, not always: one clean run of a candidate says little (0 of 1 allows 79%), so every
/// decision is over repetitions, and each try's interval is printed. The search stops at the budget, keeping the
/// smallest candidate that held so far.
/// </remarks>
public sealed class ShrinkSearch(Func<ExperimentSpec, CancellationToken, Task<int>> seenIn, int repetitions, int atLeast, TimeProvider time, TimeSpan budget, Action<ShrinkTry> tried)
{
    /// <summary>Below this a hold or an offset is not worth halving again.</summary>
    private static readonly TimeSpan Shortest = TimeSpan.FromMilliseconds(250);

    /// <summary>Fewer messages than this is not a workload.</summary>
    private const long FewestMessages = 500;

    public int Repetitions => repetitions;

    public int AtLeast => atLeast;

    private readonly List<ShrinkTry> _tries = [];
    private long _deadline;

    /// <summary>Every candidate tried, in order.</summary>
    public IReadOnlyList<ShrinkTry> Tries => _tries;

    /// <summary>The smallest spec found that still shows the anomaly in at least k of n repetitions.</summary>
    public async Task<ExperimentSpec> RunAsync(ExperimentSpec failing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failing);
        _deadline = time.GetTimestamp() + (long)(budget.TotalSeconds * time.TimestampFrequency);
        var best = failing;
        best = await DropFaultsAsync(best, cancellationToken);
        for (var i = 0; i < best.Faults.Count && !OutOfTime; i++)
        {
            if (FaultKinds.HasDuration(best.Faults[i].Kind))
            {
                best = await HalveWhileHeldAsync(best, i, "hold", f => f.Duration, (f, d) => f with { Duration = d }, cancellationToken);
            }

            best = await HalveWhileHeldAsync(best, i, "start", f => f.When.At, (f, at) => f with { When = f.When with { At = at } }, cancellationToken);
        }

        while (!OutOfTime && best.Messages / 2 >= FewestMessages)
        {
            var fewer = best with { Messages = best.Messages / 2 };
            if (!await HoldsAsync(fewer, $"messages {best.Messages} -> {fewer.Messages}", cancellationToken))
            {
                break;
            }

            best = fewer;
        }

        return best;
    }

    private bool OutOfTime => time.GetTimestamp() >= _deadline;

    /// <summary>ddmin over the fault list: try each complement of n chunks, then raise n, down to single faults.</summary>
    private async Task<ExperimentSpec> DropFaultsAsync(ExperimentSpec best, CancellationToken cancellationToken)
    {
        var chunks = 2;
        while (best.Faults.Count >= 2 && !OutOfTime)
        {
            var faults = best.Faults;
            var size = (int)Math.Ceiling(faults.Count / (double)chunks);
            var reduced = false;
            for (var start = 0; start < faults.Count && !OutOfTime; start += size)
            {
                var kept = faults.Where((_, i) => i < start || i >= start + size).ToList();
                var dropped = string.Join(", ", faults.Skip(start).Take(size).Select(f => f.Describe()));
                if (kept.Count > 0 && await HoldsAsync(best with { Faults = kept }, $"drop {dropped}", cancellationToken))
                {
                    best = best with { Faults = kept };
                    chunks = Math.Max(chunks - 1, 2);
                    reduced = true;
                    break;
                }
            }

            if (!reduced)
            {
                if (size == 1)
                {
                    break;
                }

                chunks = Math.Min(chunks * 2, faults.Count);
            }
        }

        return best;
    }

    private async Task<ExperimentSpec> HalveWhileHeldAsync(ExperimentSpec best, int index, string what, Func<FaultSpec, TimeSpan> read, Func<FaultSpec, TimeSpan, FaultSpec> write,
        CancellationToken cancellationToken)
    {
        while (!OutOfTime && read(best.Faults[index]) / 2 >= Shortest)
        {
            var fault = best.Faults[index];
            var shorter = write(fault, read(fault) / 2);
            var candidate = best with { Faults = [.. best.Faults.Select((f, i) => i == index ? shorter : f)] };
            if (!await HoldsAsync(candidate, $"{fault.Kind}'s {what} {Seconds(read(fault))} -> {Seconds(read(shorter))}", cancellationToken))
            {
                break;
            }

            best = candidate;
        }

        return best;
    }

    private async Task<bool> HoldsAsync(ExperimentSpec candidate, string change, CancellationToken cancellationToken)
    {
        var seen = await seenIn(candidate, cancellationToken);
        var kept = seen >= atLeast;
        var attempt = new ShrinkTry(_tries.Count + 1, change, seen, repetitions, WilsonInterval.Of(seen, repetitions), kept);
        _tries.Add(attempt);
        tried(attempt);
        return kept;
    }

    private static string Seconds(TimeSpan span) => FormattableString.Invariant($"{span.TotalSeconds:0.###} s");
}
